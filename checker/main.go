// Command linearizability judges recorded histories of reads and writes with Porcupine.
//
//	linearizability [-timeout 60s] FILE...
//
// Exit 0: every history is linearizable. Exit 1: one is not (the scenario, the key and the
// operations involved are printed, and Porcupine's visualization is written to FILE.html).
// Exit 2: no verdict (a file cannot be read or parsed, or the check ran out of time).
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"
)

const (
	linearizable    = 0
	notLinearizable = 1
	undecided       = 2
)

func main() {
	timeout := flag.Duration("timeout", 60*time.Second, "time allowed to judge each file")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: linearizability [-timeout 60s] FILE...  (see checker/README.md)")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(undecided)
	}
	worst := linearizable
	for _, path := range flag.Args() {
		verdict := judge(path, *timeout)
		// A definite violation outranks an undecided file: it is the finding that matters.
		if verdict == notLinearizable || (verdict == undecided && worst == linearizable) {
			worst = verdict
		}
	}
	os.Exit(worst)
}

// judge checks one file and prints its verdict.
func judge(path string, timeout time.Duration) int {
	h, err := readHistory(path)
	if err != nil {
		fmt.Printf("UNDECIDED: %v\n", err)
		return undecided
	}
	started := time.Now()
	v := check(h, timeout)
	switch {
	case v.illegalKey != "":
		reportViolation(path, h, v)
		html := path + ".html"
		if err := porcupine.VisualizePath(registerModel(v.illegalKey, h.Initial), v.info, html); err != nil {
			fmt.Printf("  (no visualization: %v)\n", err)
		} else {
			fmt.Printf("  visualization: %s\n", html)
		}
		return notLinearizable
	case len(v.undecidedKeys) > 0:
		fmt.Printf("UNDECIDED: %s: scenario %q: no verdict within %s on key(s) %s\n",
			path, h.Scenario, timeout, strings.Join(v.undecidedKeys, ", "))
		return undecided
	}
	fmt.Printf("LINEARIZABLE: %s: scenario %q: %d operations checked on %d keys in %d ms\n",
		path, h.Scenario, v.checked, v.keys, time.Since(started).Milliseconds())
	return linearizable
}

// verdict is what the check found: the first key with no legal order (and Porcupine's account of
// it), or the keys it could not decide in time.
type verdict struct {
	illegalKey    string
	ops           []porcupine.Operation
	info          porcupine.LinearizationInfo
	undecidedKeys []string
	checked, keys int
}

// check judges a history key by key (a register per product), within one time budget.
func check(h History, timeout time.Duration) verdict {
	deadline := time.Now().Add(timeout)
	keys, byKey := operationsByKey(h)
	v := verdict{keys: len(keys)}
	for _, key := range keys {
		ops := byKey[key]
		v.checked += len(ops)
		left := time.Until(deadline)
		if left <= 0 { // Porcupine reads a zero timeout as "no limit"
			v.undecidedKeys = append(v.undecidedKeys, key)
			continue
		}
		result, info := porcupine.CheckOperationsVerbose(registerModel(key, h.Initial), ops, left)
		switch result {
		case porcupine.Illegal:
			v.illegalKey, v.ops, v.info = key, ops, info
			return v
		case porcupine.Unknown:
			v.undecidedKeys = append(v.undecidedKeys, key)
		}
	}
	return v
}

// reportViolation prints the end of the longest order Porcupine could find for the key, and the
// operations it could not place after it: the first of them (by call) and those overlapping it.
func reportViolation(path string, h History, v verdict) {
	key, ops := v.illegalKey, v.ops
	fmt.Printf("NOT LINEARIZABLE: %s: scenario %q, key %s (%d operations on it", path, h.Scenario, key, len(ops))
	if h.StalenessMs > 0 {
		fmt.Printf(", reads widened by %d ms of staleness", h.StalenessMs)
	}
	fmt.Println(")")
	longest := longestPartial(v.info)
	placed := map[int]bool{}
	for _, id := range longest {
		placed[id] = true
	}
	from := len(longest) - 5
	if from < 0 {
		from = 0
	}
	fmt.Printf("  a legal order exists for %d operations; it ends with:\n", len(longest))
	if len(longest) == 0 {
		fmt.Println("    (nothing: not even the first operation can be placed)")
	}
	for _, id := range longest[from:] {
		fmt.Printf("    %s\n", describe(ops[id]))
	}
	var rest []int
	for id := range ops {
		if !placed[id] {
			rest = append(rest, id)
		}
	}
	sort.Slice(rest, func(i, j int) bool { return ops[rest[i]].Call < ops[rest[j]].Call })
	if len(rest) == 0 {
		return
	}
	first := ops[rest[0]]
	fmt.Println("  and none of these can come next:")
	shown := 0
	for _, id := range rest {
		if ops[id].Call <= first.Return && shown < 20 {
			fmt.Printf("    %s\n", describe(ops[id]))
			shown++
		}
	}
}

// longestPartial is the longest of the partial linearizations of the only partition checked.
func longestPartial(info porcupine.LinearizationInfo) []int {
	var longest []int
	for _, partition := range info.PartialLinearizations() {
		for _, order := range partition {
			if len(order) > len(longest) {
				longest = order
			}
		}
	}
	return longest
}

func describe(op porcupine.Operation) string {
	in := op.Input.(Input)
	what := fmt.Sprintf("read(%s) -> %s", in.Key, in.Value)
	if in.Write {
		what = fmt.Sprintf("write(%s, %s)", in.Key, in.Value)
	}
	ret := "never answered"
	if op.Return != math.MaxInt64 {
		ret = millis(op.Return)
	}
	return fmt.Sprintf("client %d %s  [%s .. %s]", op.ClientId, what, millis(op.Call), ret)
}

func millis(ns int64) string {
	return fmt.Sprintf("%.3f ms", float64(ns)/1e6)
}
