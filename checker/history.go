package main

// The history file the Java side writes (catalog.history.HistoryFile) and the register model
// Porcupine checks it against: one register per product id, read and written through the API.

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"

	"github.com/anishathalye/porcupine"
)

// History is one scenario's file.
type History struct {
	Scenario    string            `json:"scenario"`
	StalenessMs int64             `json:"staleness_ms"`
	Initial     map[string]string `json:"initial"`
	Operations  []Recorded        `json:"operations"`
}

// Recorded is one request as the client saw it. Pointers tell a missing field from a zero.
type Recorded struct {
	Client   int     `json:"client"`
	Key      string  `json:"key"`
	Op       string  `json:"op"`
	Value    *string `json:"value"`
	CallNs   *int64  `json:"call_ns"`
	ReturnNs *int64  `json:"return_ns"`
	Outcome  string  `json:"outcome"`
}

// Value is a register's content: a product's name, or Absent when the product does not exist.
type Value struct {
	Absent bool
	Name   string
}

func (v Value) String() string {
	if v.Absent {
		return "null"
	}
	return fmt.Sprintf("%q", v.Name)
}

// Input is what Porcupine's model sees of one operation; a read's Value is what it returned.
type Input struct {
	Key   string
	Write bool
	Value Value
}

func valueOf(name *string) Value {
	if name == nil {
		return Value{Absent: true}
	}
	return Value{Name: *name}
}

// readHistory parses and checks a file; the error names the file and the first bad operation.
func readHistory(path string) (History, error) {
	var h History
	data, err := os.ReadFile(path)
	if err != nil {
		return h, err
	}
	if err := json.Unmarshal(data, &h); err != nil {
		return h, fmt.Errorf("%s: not a history: %v", path, err)
	}
	if h.StalenessMs < 0 {
		return h, fmt.Errorf("%s: staleness_ms must not be negative", path)
	}
	for i, op := range h.Operations {
		if err := validate(op); err != nil {
			return h, fmt.Errorf("%s: operation %d: %v", path, i, err)
		}
	}
	return h, nil
}

func validate(op Recorded) error {
	switch {
	case op.Key == "":
		return fmt.Errorf("no key")
	case op.Op != "read" && op.Op != "write":
		return fmt.Errorf("op must be read or write, got %q", op.Op)
	case op.Outcome != "ok" && op.Outcome != "failed" && op.Outcome != "unknown":
		return fmt.Errorf("outcome must be ok, failed or unknown, got %q", op.Outcome)
	case op.CallNs == nil:
		return fmt.Errorf("no call_ns")
	case op.Outcome == "ok" && op.ReturnNs == nil:
		return fmt.Errorf("an ok operation needs return_ns")
	case op.ReturnNs != nil && *op.ReturnNs < *op.CallNs:
		return fmt.Errorf("return_ns %d before call_ns %d", *op.ReturnNs, *op.CallNs)
	}
	return nil
}

// operationsByKey turns the file into Porcupine's operations, one slice per key (keys sorted):
// failed operations never happened and are dropped; a read of unknown outcome tells nothing and is
// dropped; a write of unknown outcome may take effect at any time after its call, or never, which is
// Porcupine's usual reading of a return at +infinity; one whose value no read returned is dropped
// too, since it can always take effect after everything else, where nobody sees it (this changes
// no verdict, and each such write doubled the search: 13 of them on one key left a catalogue row
// undecided). A read may see anything current up to staleness_ms before it began, so its call is
// moved that much earlier.
func operationsByKey(h History) ([]string, map[string][]porcupine.Operation) {
	stale := h.StalenessMs * 1_000_000
	seen := map[string]bool{}
	for _, op := range h.Operations {
		if op.Op == "read" && op.Outcome == "ok" && op.Value != nil {
			seen[op.Key+"\x00"+*op.Value] = true
		}
	}
	byKey := map[string][]porcupine.Operation{}
	for _, op := range h.Operations {
		if op.Outcome == "failed" || (op.Outcome == "unknown" && op.Op == "read") {
			continue
		}
		if op.Outcome == "unknown" && op.Op == "write" && (op.Value == nil || !seen[op.Key+"\x00"+*op.Value]) {
			continue
		}
		call, ret := *op.CallNs, int64(math.MaxInt64)
		if op.Outcome == "ok" {
			ret = *op.ReturnNs
		}
		if op.Op == "read" {
			call -= stale
		}
		byKey[op.Key] = append(byKey[op.Key], porcupine.Operation{
			ClientId: op.Client,
			Input:    Input{Key: op.Key, Write: op.Op == "write", Value: valueOf(op.Value)},
			Call:     call,
			Return:   ret,
		})
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, byKey
}

// registerModel is one product: a write replaces the name, a read must return the current one.
// initial gives the register's value before the history; keys it does not name start absent.
func registerModel(key string, initial map[string]string) porcupine.Model {
	start := Value{Absent: true}
	if name, ok := initial[key]; ok {
		start = Value{Name: name}
	}
	return porcupine.Model{
		Init: func() interface{} { return start },
		Step: func(state, input, _ interface{}) (bool, interface{}) {
			in := input.(Input)
			if in.Write {
				return true, in.Value
			}
			return in.Value == state.(Value), state
		},
		DescribeOperation: func(input, _ interface{}) string {
			in := input.(Input)
			if in.Write {
				return fmt.Sprintf("write(%s, %s)", in.Key, in.Value)
			}
			return fmt.Sprintf("read(%s) -> %s", in.Key, in.Value)
		},
		DescribeState: func(state interface{}) string { return state.(Value).String() },
	}
}
