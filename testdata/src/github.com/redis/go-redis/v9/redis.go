// Package redis stands in for github.com/redis/go-redis/v9: commands are methods of the
// unexported function type cmdable, which the clients embed, as in the
// real package.
package redis

import (
	"context"
	"time"
)

type Cmder interface{ Err() error }

type StringCmd struct{}

func (c *StringCmd) Result() (string, error) { return "", nil }
func (c *StringCmd) Err() error              { return nil }

type StatusCmd struct{}

func (c *StatusCmd) Err() error { return nil }

type cmdable func(ctx context.Context, cmd Cmder) error

func (c cmdable) Get(ctx context.Context, key string) *StringCmd { return &StringCmd{} }
func (c cmdable) Set(ctx context.Context, key string, value any, exp time.Duration) *StatusCmd {
	return &StatusCmd{}
}
func (c cmdable) Ping(ctx context.Context) *StatusCmd { return &StatusCmd{} }

// Cmdable is the interface of every client's commands.
type Cmdable interface {
	Get(ctx context.Context, key string) *StringCmd
	Set(ctx context.Context, key string, value any, exp time.Duration) *StatusCmd
	Ping(ctx context.Context) *StatusCmd
	Pipeline() Pipeliner
}

type Pipeliner interface {
	Cmdable
	Exec(ctx context.Context) ([]Cmder, error)
}

type Options struct{ Addr string }

type Client struct {
	cmdable
}

func NewClient(opt *Options) *Client                             { return &Client{} }
func (c *Client) Options() *Options                              { return nil }
func (c *Client) Pipeline() Pipeliner                            { return nil }
func (c *Client) Do(ctx context.Context, args ...any) *StringCmd { return &StringCmd{} }
