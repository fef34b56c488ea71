package analyzer

import (
	"go/build"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/sessionlock/sessionlock/analyzer/internal/blocking"
	"golang.org/x/tools/go/analysis"
)

// A wait for other goroutines (WaitGroup.Wait, Cond.Wait) is long when the
// goroutines may do I/O. In the user's own code the analyzer cannot tell,
// so it is long. In a dependency (the standard library, or a module
// required at a version) that does no I/O, it waits for CPU work split
// across goroutines, as argon2's parallel hashing does: not long.

// syncWaitIsLong reports whether a sync wait in the package under analysis
// counts as a long call. It is computed once per package.
func (st *state) syncWaitIsLong() bool {
	if st.waitIsLong == 0 {
		st.waitIsLong = 2
		if !st.isDependency() || st.doesIO() {
			st.waitIsLong = 1
		}
	}
	return st.waitIsLong == 1
}

// isDependency is isDependency(st.pass), computed once.
func (st *state) isDependency() bool {
	if st.dependency == 0 {
		st.dependency = 2
		if isDependency(st.pass) {
			st.dependency = 1
		}
	}
	return st.dependency == 1
}

// isDependency reports whether the package is not the user's own code:
// part of the standard library, or of a module other than the main one.
// A module without a version (the main module, a workspace module) is the
// user's.
func isDependency(pass *analysis.Pass) bool {
	if m := pass.Module; m != nil && m.Path != "" && m.Path != "std" {
		return !m.Main && m.Version != ""
	}
	return inGOROOT(pass)
}

// inGOROOT reports whether the package's files lie in the standard
// library's source tree.
func inGOROOT(pass *analysis.Pass) bool {
	root := build.Default.GOROOT
	if root == "" || len(pass.Files) == 0 {
		return false
	}
	tf := pass.Fset.File(pass.Files[0].FileStart)
	if tf == nil {
		return false
	}
	return strings.HasPrefix(filepath.Clean(tf.Name()), filepath.Join(root, "src")+string(filepath.Separator))
}

// doesIO reports whether the package calls anything known to block other
// than a sync wait: a model, a -long entry, or a function whose fact
// blocks on I/O.
func (st *state) doesIO() bool {
	for _, obj := range st.pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg() == st.pass.Pkg {
			continue
		}
		fn = fn.Origin()
		if blocking.IsSyncWait(fn) {
			continue
		}
		if blocking.IsTimerChan(fn) {
			return true
		}
		if f := st.factOf(fn); f != nil && (f.Role&roleLong != 0 || len(f.Blocks) > 0 && !f.BlocksWait) {
			return true
		}
	}
	return false
}

// isUserPkg reports whether p, a package this one imports (or this one),
// is the user's own code: in the same module as the package under
// analysis, or, without module information (GOPATH mode), in the same
// repository (same first path element, or same host/owner/repo).
func (st *state) isUserPkg(p *types.Package) bool {
	if p == st.pass.Pkg {
		return !st.isDependency()
	}
	if m := st.pass.Module; m != nil && m.Path != "" && m.Path != "std" {
		return p.Path() == m.Path || strings.HasPrefix(p.Path(), m.Path+"/")
	}
	return repoRoot(p.Path()) == repoRoot(st.pass.Pkg.Path()) && !isStdPath(p.Path())
}

// repoRoot guesses the repository of an import path: host/owner/repo for
// a path whose first element has a dot, else the first element.
func repoRoot(path string) string {
	elems := strings.SplitN(path, "/", 4)
	if strings.Contains(elems[0], ".") && len(elems) >= 3 {
		return strings.Join(elems[:3], "/")
	}
	return elems[0]
}

// isStdPath reports whether the standard library has a package at path.
func isStdPath(path string) bool {
	stdDirs.Lock()
	defer stdDirs.Unlock()
	if v, ok := stdDirs.m[path]; ok {
		return v
	}
	fi, err := os.Stat(filepath.Join(build.Default.GOROOT, "src", filepath.FromSlash(path)))
	v := build.Default.GOROOT != "" && err == nil && fi.IsDir()
	if stdDirs.m == nil {
		stdDirs.m = make(map[string]bool)
	}
	stdDirs.m[path] = v
	return v
}

var stdDirs struct {
	sync.Mutex
	m map[string]bool
}
