package analyzer

import (
	"go/types"

	"github.com/sessionlock/sessionlock/analyzer/internal/fix"
)

// blockingState is the part of a run's state that the blocking model and
// the fix's safety rules keep (embedded in state).
type blockingState struct {
	waitIsLong    uint8                       // syncWaitIsLong's answer: 0 unknown, 1 yes, 2 no
	dependency    uint8                       // isDependency's answer: 0 unknown, 1 yes, 2 no
	implCache     map[ifaceKey][]*types.Func  // implementations of interface methods (iface.go)
	implTypeCache map[types.Type][]types.Type // types implementing an interface (iface.go)
	releaseErr    map[string]bool             // whether the release method of that name returns an error (fix.go)
	writer        *fix.Writer                 // writes the fixes' code (fix.go)
	pending       []pendingCall               // unresolved interface calls under the lock (wiring.go)
}
