package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// op builds one recorded operation; times in milliseconds, ret < 0 for "never answered".
func op(client int, key, kind string, value *string, call, ret int64, outcome string) Recorded {
	c := call * 1_000_000
	r := Recorded{Client: client, Key: key, Op: kind, Value: value, CallNs: &c, Outcome: outcome}
	if ret >= 0 {
		rn := ret * 1_000_000
		r.ReturnNs = &rn
	}
	return r
}

func s(v string) *string { return &v }

func history(staleness int64, ops ...Recorded) History {
	return History{Scenario: "hand-made", StalenessMs: staleness, Initial: map[string]string{"7": "v0"}, Operations: ops}
}

func judged(t *testing.T, h History) verdict {
	t.Helper()
	v := check(h, 10*time.Second)
	if len(v.undecidedKeys) > 0 {
		t.Fatalf("no verdict on %v", v.undecidedKeys)
	}
	return v
}

func TestNotLinearizable(t *testing.T) {
	cases := map[string]History{
		"a stale read after a completed write": history(0,
			op(1, "7", "write", s("c1-1"), 0, 10, "ok"),
			op(2, "7", "read", s("v0"), 20, 30, "ok")),
		"a lost write: the old value read long after the write was acknowledged": history(0,
			op(1, "7", "write", s("c1-1"), 0, 10, "ok"),
			op(2, "7", "read", s("c1-1"), 20, 30, "ok"),
			op(3, "7", "read", s("v0"), 5000, 5010, "ok")),
		"a read of a value never written": history(0,
			op(1, "7", "write", s("c1-1"), 0, 10, "ok"),
			op(2, "7", "read", s("c9-9"), 5, 15, "ok")),
		"a read of a product that exists as absent": history(0,
			op(2, "7", "read", nil, 5, 15, "ok")),
		"a client that does not read its own write": history(0,
			op(1, "7", "write", s("c1-1"), 0, 10, "ok"),
			op(1, "7", "read", s("v0"), 11, 12, "ok")),
		"a failed write that was read anyway": history(0,
			op(1, "7", "write", s("c1-1"), 0, 10, "failed"),
			op(2, "7", "read", s("c1-1"), 20, 30, "ok")),
		"a read older than the staleness window allows": history(100,
			op(1, "7", "write", s("c1-1"), 0, 10, "ok"),
			op(2, "7", "read", s("v0"), 200, 210, "ok")),
		"two readers that see two writes in opposite orders": history(0,
			op(1, "7", "write", s("c1-1"), 0, 100, "ok"),
			op(2, "7", "write", s("c2-1"), 0, 100, "ok"),
			op(3, "7", "read", s("c1-1"), 110, 120, "ok"),
			op(3, "7", "read", s("c2-1"), 130, 140, "ok"),
			op(4, "7", "read", s("c2-1"), 110, 120, "ok"),
			op(4, "7", "read", s("c1-1"), 130, 140, "ok")),
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			if v := judged(t, h); v.illegalKey != "7" {
				t.Fatalf("judged linearizable: %+v", h.Operations)
			}
		})
	}
}

func TestLinearizable(t *testing.T) {
	cases := map[string]History{
		"overlapping writes and reads, in either order": history(0,
			op(1, "7", "write", s("c1-1"), 0, 100, "ok"),
			op(2, "7", "write", s("c2-1"), 10, 90, "ok"),
			op(3, "7", "read", s("c2-1"), 20, 30, "ok"),
			op(4, "7", "read", s("c1-1"), 40, 50, "ok"),
			op(5, "7", "read", s("c1-1"), 120, 130, "ok")),
		"a read overlapping a write sees the old value": history(0,
			op(1, "7", "write", s("c1-1"), 0, 100, "ok"),
			op(2, "7", "read", s("v0"), 50, 60, "ok")),
		"an unknown write that took effect": history(0,
			op(1, "7", "write", s("c1-1"), 0, -1, "unknown"),
			op(2, "7", "read", s("v0"), 5000, 5010, "ok"),
			op(2, "7", "read", s("c1-1"), 6000, 6010, "ok")),
		"an unknown write that never took effect": history(0,
			op(1, "7", "write", s("c1-1"), 0, -1, "unknown"),
			op(2, "7", "read", s("v0"), 5000, 5010, "ok")),
		"a failed write, and reads that never see it": history(0,
			op(1, "7", "write", s("c1-1"), 0, 10, "failed"),
			op(2, "7", "read", s("v0"), 20, 30, "ok")),
		"a read of unknown outcome tells nothing": history(0,
			op(1, "7", "write", s("c1-1"), 0, 10, "ok"),
			op(2, "7", "read", s("v0"), 20, -1, "unknown")),
		"a stale read within staleness_ms": history(100,
			op(1, "7", "write", s("c1-1"), 0, 10, "ok"),
			op(2, "7", "read", s("v0"), 50, 60, "ok")),
		"keys are separate registers; one not in initial starts absent": history(0,
			op(1, "7", "write", s("c1-1"), 0, 10, "ok"),
			op(2, "8", "read", nil, 20, 30, "ok"),
			op(1, "8", "write", s("c1-2"), 40, 50, "ok"),
			op(2, "8", "read", s("c1-2"), 60, 70, "ok"),
			op(2, "7", "read", s("c1-1"), 60, 70, "ok")),
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			if v := judged(t, h); v.illegalKey != "" {
				t.Fatalf("judged not linearizable on key %s", v.illegalKey)
			}
		})
	}
}

func TestBadFilesAreNamed(t *testing.T) {
	dir := t.TempDir()
	bad := map[string]string{
		"truncated.json": `{"scenario": "x", "operations": [`,
		"no-call.json":   `{"scenario": "x", "operations": [{"client": 1, "key": "7", "op": "read", "value": null, "return_ns": 5, "outcome": "ok"}]}`,
		"bad-op.json":    `{"scenario": "x", "operations": [{"client": 1, "key": "7", "op": "cas", "call_ns": 1, "return_ns": 5, "outcome": "ok"}]}`,
		"backwards.json": `{"scenario": "x", "operations": [{"client": 1, "key": "7", "op": "read", "call_ns": 9, "return_ns": 5, "outcome": "ok"}]}`,
	}
	for name, text := range bad {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := readHistory(path); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: want an error naming the file, got %v", name, err)
		}
	}
}

// TestCommand runs the built command on files, as Maven and a person do, and reads its exit codes.
func TestCommand(t *testing.T) {
	dir := t.TempDir()
	binary := filepath.Join(dir, "linearizability")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := write("good.json", `{"scenario": "leader killed", "staleness_ms": 0, "initial": {"7": "v0"},
 "operations": [
   {"client": 1, "key": "7", "op": "write", "value": "c1-42", "call_ns": 1000, "return_ns": 5000, "outcome": "ok"},
   {"client": 2, "key": "7", "op": "read",  "value": "c1-42", "call_ns": 2000, "return_ns": 3000, "outcome": "ok"},
   {"client": 3, "key": "7", "op": "read",  "value": "v0",    "call_ns": 2500, "return_ns": 3500, "outcome": "ok"},
   {"client": 1, "key": "8", "op": "write", "value": "c1-43", "call_ns": 6000, "return_ns": null, "outcome": "unknown"}]}`)
	lost := write("lost.json", `{"scenario": "lost write", "initial": {"7": "v0"},
 "operations": [
   {"client": 1, "key": "7", "op": "write", "value": "c1-42", "call_ns": 1000, "return_ns": 5000, "outcome": "ok"},
   {"client": 2, "key": "7", "op": "read",  "value": "v0", "call_ns": 9000, "return_ns": 9500, "outcome": "ok"}]}`)
	missing := filepath.Join(dir, "missing.json")

	run := func(files ...string) (int, string) {
		out, err := exec.Command(binary, files...).CombinedOutput()
		if exit, ok := err.(*exec.ExitError); ok {
			return exit.ExitCode(), string(out)
		} else if err != nil {
			t.Fatal(err)
		}
		return 0, string(out)
	}
	if code, out := run(good); code != 0 {
		t.Errorf("good history: exit %d\n%s", code, out)
	}
	code, out := run(good, lost)
	if code != 1 || !strings.Contains(out, `scenario "lost write", key 7`) || !strings.Contains(out, `read(7) -> "v0"`) {
		t.Errorf("lost write: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(lost + ".html"); err != nil {
		t.Errorf("no visualization next to the file: %v", err)
	}
	if code, out := run(good, missing); code != 2 || !strings.Contains(out, "missing.json") {
		t.Errorf("missing file: exit %d\n%s", code, out)
	}
	if code, _ := run(missing, lost); code != 1 {
		t.Errorf("a violation outranks an unreadable file: exit %d", code)
	}
}

// Unknown writes nobody read can always take effect last, unseen: 40 of them on one key, beside
// acknowledged operations, get a verdict at once (each one doubled the search before they were dropped).
func TestUnreadUnknownWritesDoNotSlowTheSearch(t *testing.T) {
	ops := []Recorded{op(1, "7", "write", s("c1-1"), 0, 10, "ok"), op(2, "7", "read", s("c1-1"), 20, 30, "ok")}
	for i := 0; i < 40; i++ {
		ops = append(ops, op(3+i, "7", "write", s("lost-"+string(rune('a'+i))), int64(40+i), -1, "unknown"))
	}
	ops = append(ops, op(1, "7", "read", s("c1-1"), 50, 60, "ok"))
	start := time.Now()
	if v := judged(t, history(0, ops...)); v.illegalKey != "" {
		t.Fatalf("judged not linearizable")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("took %v", took)
	}
	// An unknown write that a read did return still counts.
	seen := history(0, op(1, "7", "write", s("c1-1"), 0, -1, "unknown"), op(2, "7", "read", s("c1-1"), 20, 30, "ok"),
		op(2, "7", "read", s("v0"), 40, 50, "ok"))
	if v := judged(t, seen); v.illegalKey != "7" {
		t.Fatalf("a read of v0 after c1-1 was read must stay a violation")
	}
}
