module github.com/sessionlock/sessionlock/bench/runtime

go 1.26.0

require (
	github.com/alexedwards/scs/v2 v2.9.0
	github.com/sessionlock/sessionlock v0.0.0
)

replace github.com/sessionlock/sessionlock => ../..
