package analyzer

import (
	"fmt"
	"go/types"
	"strings"
	"unicode"
)

// longSyntax is the accepted syntax of a -long entry, quoted in errors.
const longSyntax = "want pkg/path.Func, (*pkg/path.Type).Method or (pkg/path.Interface).Method; a name may end in * to match a prefix, as in pkg/path.*"

// longSpec is one parsed -long entry (or one line of the shipped models).
type longSpec struct {
	recv  string // receiver type name without star, "" for a package-level function
	anyFn bool   // pkg/path.*: every function and every method of the package
	name  string // the name, or its prefix when glob is set
	glob  bool   // name ended in *
}

func (s *longSpec) matches(recv, name string) bool {
	if !s.anyFn && s.recv != recv {
		return false
	}
	if s.glob {
		return strings.HasPrefix(name, s.name)
	}
	return s.name == name
}

// longSet is a set of -long entries, indexed by package path so that a
// lookup costs one map access for the packages it does not name.
type longSet struct {
	byPath map[string][]longSpec
	n      int
}

// add parses one entry and adds it.
func (ls *longSet) add(entry string) error {
	path, sp, err := parseLongSpec(entry)
	if err != nil {
		return err
	}
	if ls.byPath == nil {
		ls.byPath = make(map[string][]longSpec)
	}
	ls.byPath[path] = append(ls.byPath[path], sp)
	ls.n++
	return nil
}

// match reports whether fn (a function, a concrete method or an interface
// method) is named by an entry.
func (ls *longSet) match(fn *types.Func) bool {
	if ls == nil || ls.n == 0 || fn.Pkg() == nil {
		return false
	}
	specs := ls.byPath[fn.Pkg().Path()]
	if specs == nil {
		return false
	}
	recv, name := recvName(fn), fn.Name()
	for i := range specs {
		if specs[i].matches(recv, name) {
			return true
		}
	}
	return false
}

// parseLongSpec parses one entry into its package path and spec.
func parseLongSpec(s string) (string, longSpec, error) {
	bad := func(why string) error {
		return fmt.Errorf("sessionlock: malformed -long entry %q: %s (%s)", s, why, longSyntax)
	}
	var sp longSpec
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
