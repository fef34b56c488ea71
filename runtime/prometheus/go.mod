module github.com/sessionlock/sessionlock/runtime/prometheus

go 1.26.0

require github.com/sessionlock/sessionlock v0.0.0

require (
	github.com/prometheus/client_golang v1.25.0 // indirect
	github.com/prometheus/common v0.74.0 // indirect
)

replace github.com/sessionlock/sessionlock => ../..
