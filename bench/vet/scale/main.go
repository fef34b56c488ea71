// Command scale measures the analysis cost of sessionlock on a module
// written by bench/vet/gen: it loads the module and all its dependencies
// once (go/packages, from source), then times the analysis alone,
// sessionlock against the floor analyzer (which does nothing but declare
// a fact type, so the driver's fact plumbing is in both), over several
// interleaved runs. It prints the medians and their difference, the cost
// of sessionlock's own work. Times are CPU seconds of the process.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"syscall"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/sessionlock/sessionlock/analyzer"
	"github.com/sessionlock/sessionlock/bench/vet/floor"
)

func main() {
	runs := flag.Int("runs", 5, "interleaved runs per analyzer")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the sessionlock runs to this file")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: scale [-runs n] moduledir")
	}
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: flag.Arg(0), Tests: false}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		log.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		os.Exit(1)
	}
	var tFloor, tSL []float64
	findings := 0
	var allocSL, allocFloor uint64
	for i := 0; i < *runs; i++ {
		tFloor = append(tFloor, timeRun(floor.Analyzer, pkgs, nil))
		if i == 0 {
			allocFloor = allocated(func() { timeRun(floor.Analyzer, pkgs, nil) })
			allocSL = allocated(func() { timeRun(analyzer.Analyzer, pkgs, nil) })
		}
		stop := func() {}
		if *cpuprofile != "" && i == 0 {
			stop = startProfile(*cpuprofile)
		}
		tSL = append(tSL, timeRun(analyzer.Analyzer, pkgs, &findings))
		stop()
	}
	f, s := median(tFloor), median(tSL)
	fmt.Printf("CPU seconds, median of %d: floor %.3f  sessionlock %.3f  analysis %.3f  allocated %.1f MB  findings %d\n",
		*runs, f, s, s-f, float64(allocSL-allocFloor)/(1<<20), findings)
	_ = os.Stdout.Sync()
}

// timeRun runs a over the loaded packages and returns the CPU seconds
// (user and system, all threads) it took: on a shared machine CPU time
// depends far less on the other processes than wall time does. The
// collector is off during the run: its cost would depend on the size of
// the whole loaded program, which this benchmark keeps in memory and a vet
// run does not, and would drown the analysis in noise. What the run
// allocates is reported separately.
func timeRun(a *analysis.Analyzer, pkgs []*packages.Package, findings *int) float64 {
	runtime.GC()
	old := debug.SetGCPercent(-1)
	start := cpuSeconds()
	g, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, nil)
	if err != nil {
		log.Fatal(err)
	}
	d := cpuSeconds() - start
	debug.SetGCPercent(old)
	if findings != nil {
		n := 0
		for act := range g.All() {
			if act.IsRoot {
				n += len(act.Diagnostics)
			}
		}
		*findings = n
	}
	return d
}

// startProfile starts a CPU profile written to path and returns its stop.
func startProfile(path string) func() {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		log.Fatal(err)
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
