// Command gen writes a synthetic Go module for the analyzer's linearity
// benchmark (bench/vet/scale.sh). Its size grows with -scale k in every
// direction the analyzer's cost depends on:
//
//   - 40k handlers, each obtaining the session and calling into a chain
//     of packages that ends in a blocking call (one finding each), all
//     registered on a mux behind the held wrapper;
//   - a chain of 4k packages, each calling the next (facts cross every
//     package boundary);
//   - one handler of 3200k statements with 800k blocking calls (findings
//     with suggested fixes in one body).
//
// The module uses the project's runtime/session through a replace
// directive pointing at -root.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	scale := flag.Int("scale", 1, "size multiplier k (0: only the fixed part, the baseline)")
	out := flag.String("o", "", "directory to write the module to (created)")
	root := flag.String("root", "", "path of the sessionlock repository (for the replace directive)")
	flag.Parse()
	if *out == "" || *root == "" || *scale < 0 {
		log.Fatal("usage: gen -scale k -o dir -root path/to/sessionlock")
	}
	absRoot, err := filepath.Abs(*root)
	if err != nil {
		log.Fatal(err)
	}
	g := &gen{dir: *out, k: *scale}
	g.write("go.mod", fmt.Sprintf("module example.com/gen\n\ngo 1.26.0\n\nrequire github.com/sessionlock/sessionlock v0.0.0\n\nreplace github.com/sessionlock/sessionlock => %s\n", absRoot))
	g.chain(4 * g.k)
	g.handlers(40 * g.k)
	g.big(3200*g.k, 4)
	if g.err != nil {
		log.Fatal(g.err)
	}
}

type gen struct {
	dir string
	k   int
	err error
}

func (g *gen) write(name, text string) {
	if g.err != nil {
		return
	}
	p := filepath.Join(g.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		g.err = err
		return
	}
	g.err = os.WriteFile(p, []byte(text), 0o644)
}

// chain writes packages c0 … c(n-1): ci.F calls c(i+1).F, the last sleeps.
func (g *gen) chain(n int) {
	for i := 0; i < n; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "package c%d\n\n", i)
		if i == n-1 {
			b.WriteString("import \"time\"\n\n// F blocks.\nfunc F() { time.Sleep(time.Millisecond) }\n")
		} else {
			fmt.Fprintf(&b, "import \"example.com/gen/c%d\"\n\n// F calls the next package.\nfunc F() { c%d.F() }\n", i+1, i+1)
		}
		g.write(fmt.Sprintf("c%d/c.go", i), b.String())
	}
}

// handlers writes n handlers served behind the held wrapper.
func (g *gen) handlers(n int) {
	var b strings.Builder
	b.WriteString("package handlers\n\nimport (\n")
	if n > 0 {
		b.WriteString("\t\"fmt\"\n\t\"net/http\"\n\n\t\"example.com/gen/c0\"\n")
	} else {
		b.WriteString("\t\"net/http\"\n\n")
	}
	b.WriteString("\t\"github.com/sessionlock/sessionlock/runtime/session\"\n)\n\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "func h%d(w http.ResponseWriter, r *http.Request) {\n\ts := session.FromContext(r.Context())\n\tn, _ := s.Get(\"n\").(int)\n\ts.Set(\"n\", n+%d)\n\tc0.F()\n\tfmt.Fprintln(w, n)\n}\n\n", i, i)
	}
	b.WriteString("// Routes serves every handler with the session lock held.\nfunc Routes(m *session.Manager) http.Handler {\n\tmux := http.NewServeMux()\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\tmux.HandleFunc(\"/h%d\", h%d)\n", i, i)
	}
	b.WriteString("\treturn m.Middleware(mux)\n}\n")
	g.write("handlers/handlers.go", b.String())
}

// big writes one handler of stmts statements, one in every `every` of
// which blocks.
func (g *gen) big(stmts, every int) {
	var b strings.Builder
	b.WriteString("package big\n\nimport (\n\t\"net/http\"\n\t\"time\"\n\n\t\"github.com/sessionlock/sessionlock/runtime/session\"\n)\n\nvar _ = time.Second\n\n")
	b.WriteString("func page(w http.ResponseWriter, r *http.Request) {\n\ts := session.FromContext(r.Context())\n\tx := 0\n")
	for i := 0; i < stmts; i++ {
		if i%every == 0 {
			b.WriteString("\ttime.Sleep(time.Microsecond)\n")
		} else {
			fmt.Fprintf(&b, "\tx += %d\n", i)
		}
	}
	b.WriteString("\t_ = s.Get(\"x\")\n\t_ = x\n}\n\n// Routes serves the page with the session lock held.\nfunc Routes(m *session.Manager) http.Handler {\n\treturn m.Middleware(http.HandlerFunc(page))\n}\n")
	g.write("big/big.go", b.String())
}
