module github.com/sessionlock/sessionlock

go 1.26
