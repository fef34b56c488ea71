package analyzer_test

import (
	"fmt"

	"github.com/sessionlock/sessionlock/analyzer"
)

// New builds an analyzer that also treats project functions as blocking,
// as the golangci-lint plugin does from its settings.
func ExampleNew() {
	a, err := analyzer.New(analyzer.Config{Long: []string{
		"example.com/app/billing.Charge",
		"(*example.com/app/db.Pool).Exec",
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Name)

	_, err = analyzer.New(analyzer.Config{Long: []string{"Charge"}})
	fmt.Println(err)
	// Output:
	// sessionlock
	// sessionlock: malformed -long entry "Charge": no package path or function name (want pkg/path.Func, (*pkg/path.Type).Method or (pkg/path.Interface).Method; a name may end in * to match a prefix, as in pkg/path.*)
}
