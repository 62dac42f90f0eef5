package manifest

import (
	"bytes"
	"strings"
	"testing"
)

func TestSafePath(t *testing.T) {
	tests := []struct {
		p  string
		ok bool
	}{
		{"a/b.html", true}, {"school/forms/x.pdf", true},
		{"", false}, {"/etc/passwd", false}, {"../x", false}, {"a/../../x", false}, {"a/./b", false}, {"a//b", false}, {`a\b`, false}, {"a/", false}, {".", false},
	}
	for _, tt := range tests {
		if got := SafePath(tt.p); got != tt.ok {
			t.Errorf("SafePath(%q) = %v, want %v", tt.p, got, tt.ok)
		}
	}
}

func TestMarshalSortedAndRoundTrips(t *testing.T) {
	m := &Manifest{FormatVersion: FormatVersion, AsOf: "2026-11-26",
		Schools: []School{{ID: "b", Policies: []Policy{{ID: "z"}, {ID: "a"}}}, {ID: "a"}},
		Files:   []File{{Path: "b/x.md", School: "b"}, {Path: "a/x.md", School: "a"}}}
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if m.Schools[0].ID != "a" || m.Files[0].Path != "a/x.md" || m.Schools[1].Policies[0].ID != "a" {
		t.Errorf("not sorted: %+v", m)
	}
	back, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := back.Marshal()
	if !bytes.Equal(data, again) {
		t.Error("marshal/parse/marshal changed the bytes")
	}
	for _, bad := range []string{`{"format_version": 99}`, `{"format_version": 1, "files": [{"path": "../x"}]}`, `not json`} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%s) succeeded", bad)
		}
	}
}

func TestMerge(t *testing.T) {
	shard := func(s, school string) *Manifest {
		return &Manifest{FormatVersion: FormatVersion, Generator: "g", AsOf: "2026-11-26", Shard: s,
			Schools: []School{{ID: school}}, Files: []File{{Path: school + "/p.md", School: school}}}
	}
	tests := []struct {
		name    string
		parts   []*Manifest
		wantErr string
	}{
		{"all shards", []*Manifest{shard("2/2", "b"), shard("1/2", "a")}, ""},
		{"missing shard", []*Manifest{shard("1/3", "a"), shard("3/3", "c")}, "missing shard(s) 2/3"},
		{"shard twice", []*Manifest{shard("1/2", "a"), shard("1/2", "b")}, "shard 1/2 given twice"},
		{"different N", []*Manifest{shard("1/2", "a"), shard("2/3", "b")}, "not one of 2 shards"},
		{"school twice", []*Manifest{shard("1/2", "a"), shard("2/2", "a")}, "school a is in shards 1/2 and 2/2"},
		{"not a shard", []*Manifest{shard("", "a")}, "not a shard's"},
		{"different as-of", []*Manifest{shard("1/2", "a"), func() *Manifest { m := shard("2/2", "b"); m.AsOf = "2026-11-27"; return m }()}, "same --as-of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Merge(tt.parts)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Shard != "" || len(m.Schools) != 2 || m.Schools[0].ID != "a" || len(m.Files) != 2 || m.Files[0].Path != "a/p.md" {
				t.Errorf("merged = %+v", m)
			}
		})
	}
}
