// Package chaina starts a chain of packages: facts keep a bounded trace.
package chaina

import "time"

func A() { time.Sleep(time.Second) } // want A:`blocks\(time.Sleep\)`
