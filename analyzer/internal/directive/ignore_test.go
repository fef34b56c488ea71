package directive

import (
	"errors"
	"go/parser"
	"go/token"
	"reflect"
	"testing"
)

const ignoreSrc = `package p

func f() {
	a() //sessionlock:ignore trailing: this line only
	b()
	//sessionlock:ignore alone: the next line
	c()
	d() //sessionlock:ignored is another directive
	//sessionlock:ignore
	e()
	g() // sessionlock:ignore is not a directive
}
`

func TestIgnoredLines(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", ignoreSrc, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) ([]byte, error) {
		if name != "p.go" {
			t.Errorf("read %q, want p.go", name)
		}
		return []byte(ignoreSrc), nil
	}
	fail := func(string) ([]byte, error) { return nil, errors.New("gone") }
	for _, tc := range []struct {
		name string
		read func(string) ([]byte, error)
		want map[int]bool
	}{
		{"with the source", read, map[int]bool{4: true, 6: true, 7: true, 9: true, 10: true}},
		// Without the source every comment counts as alone on its line,
		// so the one trailing a() also covers b().
		{"no reader", nil, map[int]bool{4: true, 5: true, 6: true, 7: true, 9: true, 10: true}},
		{"failing reader", fail, map[int]bool{4: true, 5: true, 6: true, 7: true, 9: true, 10: true}},
	} {
		got := IgnoredLines(fset, f, tc.read)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: IgnoredLines = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestIgnoredLinesNone(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", "package p\n\n// f does nothing.\nfunc f() {} //sessionlock:ignored\n", parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	read := func(string) ([]byte, error) {
		t.Error("read a file without an ignore directive")
		return nil, nil
	}
	if got := IgnoredLines(fset, f, read); got != nil {
		t.Errorf("IgnoredLines = %v, want nil", got)
	}
}
