// Package longdep has functions that block in ways the analyzer cannot
// know: users name them with -long or mark them //sessionlock:long.
package longdep

type Pool struct{}

func (p *Pool) Exec(q string) error { return nil }

func Charge(amount int) error { return nil }

func Fast() {}
