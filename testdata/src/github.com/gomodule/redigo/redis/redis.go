// Package redis stands in for github.com/gomodule/redigo/redis: Conn is an
// interface, so its calls are modelled by interface method.
package redis

import "context"

type Conn interface {
	Close() error
	Err() error
	Do(commandName string, args ...any) (reply any, err error)
	Send(commandName string, args ...any) error
	Flush() error
	Receive() (reply any, err error)
}

type Pool struct{}

func (p *Pool) Get() Conn                                    { return nil }
func (p *Pool) GetContext(ctx context.Context) (Conn, error) { return nil, nil }
func (p *Pool) ActiveCount() int                             { return 0 }

func Dial(network, address string) (Conn, error) { return nil, nil }

func String(reply any, err error) (string, error) { return "", nil }
