package blocking

import (
	"fmt"
	"go/types"
	"strings"
	"unicode"
)

// Syntax is the accepted syntax of an entry, quoted in errors.
const Syntax = "want pkg/path.Func, (*pkg/path.Type).Method or (pkg/path.Interface).Method; a name may end in * to match a prefix, as in pkg/path.*"

// spec is one parsed entry (or one line of the shipped models).
type spec struct {
	recv  string // receiver type name without star, "" for a package-level function
	anyFn bool   // pkg/path.*: every function and every method of the package
	name  string // the name, or its prefix when glob is set
	glob  bool   // name ended in *
}

func (s *spec) matches(recv, name string) bool {
	if !s.anyFn && s.recv != recv {
		return false
	}
	if s.glob {
		return strings.HasPrefix(name, s.name)
	}
	return s.name == name
}

// A Set is a set of entries in the syntax of the -long flag, such as
// "net/http.Get", "(*database/sql.DB).Query*" or "example.com/app/store.*".
// It is indexed by package path so that a lookup costs one map access for
// the packages it does not name. The zero Set is empty and ready to use.
type Set struct {
	byPath map[string][]spec
	n      int
}

// Add parses one entry and adds it. A malformed entry is not added, and
// the error names it and gives the syntax.
func (s *Set) Add(entry string) error {
	path, sp, err := parse(entry)
	if err != nil {
		return err
	}
	if s.byPath == nil {
		s.byPath = make(map[string][]spec)
	}
	s.byPath[path] = append(s.byPath[path], sp)
	s.n++
	return nil
}

// Match reports whether fn (a function, a concrete method or an interface
// method) is named by an entry. A nil Set matches nothing.
func (s *Set) Match(fn *types.Func) bool {
	if s == nil || s.n == 0 || fn.Pkg() == nil {
		return false
	}
	specs := s.byPath[fn.Pkg().Path()]
	if specs == nil {
		return false
	}
	recv, name := RecvName(fn), fn.Name()
	for i := range specs {
		if specs[i].matches(recv, name) {
			return true
		}
	}
	return false
}

// parse parses one entry into its package path and spec.
func parse(s string) (string, spec, error) {
	bad := func(why string) error {
		return fmt.Errorf("sessionlock: malformed -long entry %q: %s (%s)", s, why, Syntax)
	}
	var sp spec
	if strings.ContainsAny(s, " \t") {
		return "", sp, bad("contains a space")
	}
	var path, name string
	if strings.HasPrefix(s, "(") {
		end := strings.Index(s, ")")
		if end < 0 {
			return "", sp, bad("unbalanced parenthesis")
		}
		recv := strings.TrimPrefix(s[1:end], "*")
		rest := s[end+1:]
		if !strings.HasPrefix(rest, ".") || len(rest) < 2 {
			return "", sp, bad("no method name after the receiver")
		}
		dot := strings.LastIndex(recv, ".")
		if dot <= 0 || !isIdent(recv[dot+1:]) || !validPath(recv[:dot]) {
			return "", sp, bad("receiver is not pkg/path.Type")
		}
		path, sp.recv, name = recv[:dot], recv[dot+1:], rest[1:]
	} else {
		if strings.ContainsAny(s, "()") {
			return "", sp, bad("unexpected parenthesis")
		}
		dot := strings.LastIndex(s, ".")
		if dot <= 0 || dot < strings.LastIndex(s, "/") || !validPath(s[:dot]) {
			return "", sp, bad("no package path or function name")
		}
		path, name = s[:dot], s[dot+1:]
		sp.anyFn = name == "*"
	}
	if strings.HasSuffix(name, "*") {
		sp.glob, name = true, strings.TrimSuffix(name, "*")
	}
	if !(isIdent(name) || sp.glob && name == "") {
		return "", sp, bad(fmt.Sprintf("%q is not a function name (a * may only end it)", name))
	}
	sp.name = name
	return path, sp, nil
}

// validPath accepts an import path: non-empty elements separated by
// slashes, without the characters entries use as syntax.
func validPath(p string) bool {
	if p == "" || strings.ContainsAny(p, "()*,") {
		return false
	}
	for _, elem := range strings.Split(p, "/") {
		if elem == "" || elem == "." || elem == ".." {
			return false
		}
	}
	return true
}

// isIdent accepts a Go identifier. Unlike token.IsIdentifier it does not
// reject keywords, as entries never did.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || unicode.IsLetter(r) || i > 0 && unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}
