package redisstore_test

import (
	"context"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"
)

var tempDirs []string

func mkTemp() (string, error) {
	d, err := os.MkdirTemp("", "redisstore-test-")
	if err == nil {
		tempDirs = append(tempDirs, d)
	}
	return d, err
}

// quiet drops go-redis's own log lines (dial failures during the outage
// tests); the tests check the errors themselves.
type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

func TestMain(m *testing.M) {
	redis.SetLogger(quiet{})
	code := m.Run()
	if sharedSrv != nil {
		_ = sharedSrv.Stop()
	}
	if clusterSrv != nil {
		_ = clusterSrv.Stop()
	}
	for _, d := range tempDirs {
		_ = os.RemoveAll(d)
	}
	os.Exit(code)
}
