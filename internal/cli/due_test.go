package cli

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// seedSchools is the repository's schools folder: Robert Miles Infant
// School's review is due on 24 May 2024 (its seed says so).
const seedSchools = "../../schools"

// seedIDs are the two schools from the seed policies: the third example
// (fenbrook-academy) was approved in 2026, after the as-of dates of 2024
// these tests use, so it is left out of them.
var seedIDs = []string{"hevingham-marsham", "robert-miles-infant"}

func TestDueRobertMiles(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantExit int
		wantOut  []string // substrings of stdout, in order
		notOut   string
	}{
		{"day before", []string{"--as-of", "2024-05-23"}, ExitOK, []string{"Nothing due for review on or before 23 May 2024."}, "robert-miles-infant"},
		{"day before, 30-day window", []string{"--as-of", "2024-05-23", "--within", "30d"}, ExitInvalid,
			[]string{"SCHOOL", "NEXT REVIEW", "robert-miles-infant", "Robert Miles Infant School", "online-safety", "24 May 2024", "due in 1 day", "1 policy due for review on or before 22 June 2024."}, ""},
		{"on the day", []string{"--as-of", "2024-05-24"}, ExitInvalid, []string{"robert-miles-infant", "24 May 2024", "due today", "1 policy due"}, ""},
		{"day after", []string{"--as-of", "2024-05-25"}, ExitInvalid, []string{"robert-miles-infant", "24 May 2024", "overdue by 1 day"}, ""},
		{"weeks window", []string{"--as-of", "2024-05-10", "--within", "2w"}, ExitInvalid, []string{"due in 14 days"}, ""},
		{"other school only", []string{"--as-of", "2024-05-25", "hevingham-marsham"}, ExitOK, []string{"Nothing due"}, "robert-miles-infant"},
		{"markdown", []string{"--as-of", "2024-05-25", "--markdown"}, ExitInvalid,
			[]string{"| School | Policy | Next review | Status |", "| Robert Miles Infant School (`robert-miles-infant`) | Online Safety Procedure | 24 May 2024 | **overdue by 1 day** |"}, ""},
		{"SOURCE_DATE_EPOCH", nil, ExitInvalid, []string{"due today"}, ""}, // 2024-05-24 00:00 UTC
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.args == nil {
				t.Setenv("SOURCE_DATE_EPOCH", "1716508800")
			}
			io, out, errOut := testIO()
			args := append([]string{"due", "--schools", seedSchools}, tt.args...)
			if !slices.Contains(tt.args, "hevingham-marsham") {
				args = append(args, seedIDs...)
			}
			if got := Main(args, io); got != tt.wantExit {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", got, tt.wantExit, out, errOut)
			}
			rest := out.String()
			for _, w := range tt.wantOut {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Errorf("stdout lacks %q (in order)\n%s", w, out)
					break
				}
				rest = rest[i+len(w):]
			}
			if tt.notOut != "" && strings.Contains(out.String(), tt.notOut) {
				t.Errorf("stdout mentions %s:\n%s", tt.notOut, out)
			}
		})
	}
}

// TestDueJSONShape pins the documented `due --json` shape: exactly these
// keys, so a change is deliberate (bump DueJSONVersion if one is removed).
func TestDueJSONShape(t *testing.T) {
	io, out, errOut := testIO()
	code := Main(append([]string{"due", "--schools", seedSchools, "--as-of", "2024-05-25", "--json"}, seedIDs...), io)
	if code != ExitInvalid {
		t.Fatalf("exit %d, want %d: %s", code, ExitInvalid, errOut)
	}
	var doc map[string]any
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	keys := func(m map[string]any) string { return strings.Join(slices.Sorted(maps.Keys(m)), ",") }
	if got, want := keys(doc), "as_of,due,format,format_version,undated,within_days"; got != want {
		t.Errorf("top-level keys %s, want %s", got, want)
	}
	if doc["format"] != "policypack.due/v1" || doc["format_version"] != float64(DueJSONVersion) || doc["as_of"] != "2024-05-25" || doc["within_days"] != float64(0) {
		t.Errorf("header = %v %v %v", doc["format_version"], doc["as_of"], doc["within_days"])
	}
	due, _ := doc["due"].([]any)
	if len(due) != 1 {
		t.Fatalf("due = %v, want one item", doc["due"])
	}
	item := due[0].(map[string]any)
	if got, want := keys(item), "approved_by,approved_on,days,last_reviewed,next_review,policy,policy_title,school,school_name,source,state,version"; got != want {
		t.Errorf("item keys %s, want %s", got, want)
	}
	want := map[string]any{"school": "robert-miles-infant", "school_name": "Robert Miles Infant School", "policy": "online-safety",
		"next_review": "2024-05-24", "state": "overdue", "days": float64(-1)}
	for k, v := range want {
		if item[k] != v {
			t.Errorf("%s = %v, want %v", k, item[k], v)
		}
	}
	if src, _ := item["source"].(string); !strings.Contains(src, "robert-miles-infant.toml:") {
		t.Errorf("source = %q, want the config file and line", src)
	}
	if _, ok := doc["undated"].([]any); !ok {
		t.Errorf("undated = %v, want a list (never null)", doc["undated"])
	}

	// Nothing due: still both lists, empty, never null.
	io, out, _ = testIO()
	if code := Main([]string{"due", "--schools", seedSchools, "--as-of", "2024-05-01", "--json", "--policy", "online-safety", "robert-miles-infant"}, io); code != ExitOK {
		t.Errorf("nothing due: exit %d", code)
	}
	if !strings.Contains(out.String(), `"due": []`) || !strings.Contains(out.String(), `"undated": []`) {
		t.Errorf("nothing due: %s", out)
	}
}

func TestDueErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad")
	os.MkdirAll(bad, 0o755)
	os.WriteFile(filepath.Join(bad, "x.toml"), []byte("name = 1\n"), 0o644)
	future := filepath.Join(dir, "future")
	os.MkdirAll(future, 0o755)
	os.WriteFile(filepath.Join(future, "oak.toml"), []byte(`name = "Oak"
phase = "primary"
key_stages = ["KS1"]
[filtering]
approvers = ["headteacher"]
[policies.online-safety]
approved_on = 2030-01-01
`), 0o644)
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"config error", []string{"--schools", bad}, "x.toml"},
		{"missing folder", []string{"--schools", filepath.Join(dir, "none")}, "schools folder not found"},
		{"approval after as-of", []string{"--schools", future, "--as-of", "2026-11-26"}, "approved on 2030-01-01, after the as-of date"},
		{"bad window", []string{"--schools", seedSchools, "--within", "soon"}, "--within"},
		{"bad date", []string{"--schools", seedSchools, "--as-of", "24/05/2024"}, "--as-of"},
		{"json and markdown", []string{"--schools", seedSchools, "--json", "--markdown"}, "cannot be used together"},
		{"unknown school", []string{"--schools", seedSchools, "robert-miles"}, "no such school config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, _, errOut := testIO()
			if got := Main(append([]string{"due"}, tt.args...), io); got != ExitUsage {
				t.Errorf("exit %d, want %d (stderr %s)", got, ExitUsage, errOut)
			}
			if !strings.Contains(errOut.String(), tt.wantErr) {
				t.Errorf("stderr %q lacks %q", errOut, tt.wantErr)
			}
		})
	}
}

func TestParseWithin(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{{"0", 0, true}, {"30d", 30, true}, {"30", 30, true}, {"4w", 28, true}, {"4W", 28, true}, {"-1d", 0, false}, {"d", 0, false}, {"1m", 0, false}}
	for _, tt := range tests {
		got, err := parseWithin(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseWithin(%q) = %d, %v; want %d ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
