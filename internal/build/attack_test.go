package build

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/policypack/policypack/internal/manifest"
)

// These tests are the attacks of issue 13, each asserting that nothing
// outside the output folder changed, that the error says what is wrong,
// and that the manifest tells the truth about what is on disk.

// outsideFiles makes a folder beside the output folder with a file in it,
// and returns a check that it is unchanged.
func outsideFiles(t *testing.T, dir string) func() {
	t.Helper()
	os.MkdirAll(dir, 0o755)
	p := filepath.Join(dir, "precious.md")
	os.WriteFile(p, []byte("mine"), 0o644)
	return func() {
		t.Helper()
		got, err := os.ReadFile(p)
		if err != nil || string(got) != "mine" {
			t.Errorf("a file outside the output folder changed: %q, %v", got, err)
		}
		es, _ := os.ReadDir(dir)
		if len(es) != 1 {
			t.Errorf("files appeared outside the output folder: %v", es)
		}
	}
}

func verifyOK(t *testing.T, out string) {
	t.Helper()
	m, err := manifest.Read(filepath.Join(out, manifest.Name))
	if err != nil || m == nil {
		t.Fatalf("manifest: %v", err)
	}
	if err := Verify(out, m); err != nil {
		t.Errorf("the manifest does not tell the truth:\n%v", err)
	}
}

// A symbolic link committed inside dist/ (a school's folder pointing out
// of it) must not lead a build to write there, nor a stale-file removal
// to delete there.
func TestAttackSymlinkedDistEntry(t *testing.T) {
	schools, root := copySchools(t), t.TempDir()
	out, elsewhere := filepath.Join(root, "dist"), filepath.Join(root, "elsewhere")
	unchanged := outsideFiles(t, elsewhere)
	mustRun(t, opts(t, schools, out, "2026-11-26"))
	// Replace a school's folder with a link out of dist, and make the
	// previous manifest list a file through it (as a stale entry).
	os.RemoveAll(filepath.Join(out, "robert-miles-infant"))
	if err := os.Symlink("../elsewhere", filepath.Join(out, "robert-miles-infant")); err != nil {
		t.Fatal(err)
	}
	_, err := Run(opts(t, schools, out, "2026-11-26"))
	if err == nil || !strings.Contains(err.Error(), "symbolic link leads out of the output folder") || !strings.Contains(err.Error(), "hint:") {
		t.Fatalf("build through a link out of dist: %v", err)
	}
	unchanged()
	// The manifest lists none of the school's files (none could be checked
	// through the link), and verify points at the link itself.
	verifyOnly(t, out, "robert-miles-infant: present but not listed in the manifest")

	// Removal: a stale entry whose folder is a link out of dist.
	m, _ := manifest.Read(filepath.Join(out, manifest.Name))
	m.Files = append(m.Files, manifest.File{Path: "robert-miles-infant/precious.md", School: "robert-miles-infant", Format: "md"})
	data, _ := m.Marshal()
	os.WriteFile(filepath.Join(out, manifest.Name), data, 0o644)
	os.Remove(filepath.Join(out, "robert-miles-infant"))
	os.MkdirAll(filepath.Join(out, "robert-miles-infant"), 0o755)
	os.Symlink("../../elsewhere/precious.md", filepath.Join(out, "robert-miles-infant", "precious.md"))
	mustRun(t, opts(t, schools, out, "2026-11-26"))
	unchanged()
	verifyOnly(t, out, "robert-miles-infant/precious.md: present but not listed in the manifest")
}

// verifyOnly checks that verifying out reports exactly want.
func verifyOnly(t *testing.T, out, want string) {
	t.Helper()
	m, err := manifest.Read(filepath.Join(out, manifest.Name))
	if err != nil || m == nil {
		t.Fatalf("manifest: %v", err)
	}
	if err := Verify(out, m); err == nil || err.Error() != want {
		t.Errorf("verify: %v\nwant: %s", err, want)
	}
}

// --out naming a folder that is not an output folder (a scratch root
// standing in for "/", with another program's temporary files in it) is
// refused before anything is written or removed.
func TestAttackOutNotAnOutputFolder(t *testing.T) {
	schools, scratch := copySchools(t), t.TempDir()
	for _, p := range []string{"etc/.passwd.tmp-123", "home/me/.notes.md.tmp-1", "index.html", "README.md"} {
		os.MkdirAll(filepath.Join(scratch, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(scratch, p), []byte("theirs"), 0o644)
	}
	before := tree(t, scratch)
	_, err := Run(opts(t, schools, scratch, "2026-11-26"))
	if err == nil || !strings.Contains(err.Error(), "is not an output folder") || !strings.Contains(err.Error(), "hint: give --out a new or empty folder") {
		t.Fatalf("--out at a scratch root: %v", err)
	}
	if after := tree(t, scratch); len(after) != len(before) {
		t.Errorf("the refused build changed the folder: %d files, want %d", len(after), len(before))
	}
	for p, data := range before {
		if got, err := os.ReadFile(filepath.Join(scratch, p)); err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s changed", p)
		}
	}
}

// A file a user put in the output folder, which no build wrote, is never
// overwritten; a build's own temporary files are swept, others' are not.
func TestAttackUserFileInDist(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	os.WriteFile(filepath.Join(out, ".gitkeep"), nil, 0o644)
	os.WriteFile(filepath.Join(out, "index.html"), []byte("my page"), 0o644)
	if _, err := Run(opts(t, schools, out, "2026-11-26")); err == nil || !strings.Contains(err.Error(), "is not an output folder") {
		t.Fatalf("dist holding a user's index.html: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "index.html")); string(got) != "my page" {
		t.Error("index.html overwritten")
	}
	os.Remove(filepath.Join(out, "index.html"))
	mustRun(t, opts(t, schools, out, "2026-11-26"))
	// A file where the next build will write, not listed in the manifest.
	m, _ := manifest.Read(filepath.Join(out, manifest.Name))
	var kept []manifest.File
	for _, f := range m.Files {
		if f.Path != "robert-miles-infant/online-safety.md" {
			kept = append(kept, f)
		}
	}
	m.Files = kept
	for i := range m.Schools {
		if m.Schools[i].ID == "robert-miles-infant" {
			m.Schools[i].InputHash = "changed"
		}
	}
	data, _ := m.Marshal()
	os.WriteFile(filepath.Join(out, manifest.Name), data, 0o644)
	os.WriteFile(filepath.Join(out, "robert-miles-infant/online-safety.md"), []byte("my notes"), 0o644)
	os.WriteFile(filepath.Join(out, "robert-miles-infant/.online-safety.html.tmp-42"), []byte("killed build"), 0o644)
	os.WriteFile(filepath.Join(out, "robert-miles-infant/.mine.tmp-42"), []byte("not ours"), 0o644)
	_, err := Run(opts(t, schools, out, "2026-11-26"))
	if err == nil || !strings.Contains(err.Error(), "online-safety.md: already exists and no previous build of policypack wrote it") {
		t.Fatalf("overwriting a user's file: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "robert-miles-infant/online-safety.md")); string(got) != "my notes" {
		t.Error("the user's file was overwritten")
	}
	os.Remove(filepath.Join(out, "robert-miles-infant/online-safety.md"))
	mustRun(t, opts(t, schools, out, "2026-11-26"))
	if _, err := os.Stat(filepath.Join(out, "robert-miles-infant/.online-safety.html.tmp-42")); err == nil {
		t.Error("a killed build's temporary file survived")
	}
	if _, err := os.Stat(filepath.Join(out, "robert-miles-infant/.mine.tmp-42")); err != nil {
		t.Error("a temporary file of another program was removed")
	}
}

// A config saved again between parsing and hashing: the manifest records
// the hash of the bytes that were rendered, so the next build sees the
// change and renders the new text.
func TestAttackConfigEditedDuringBuild(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	o := opts(t, schools, out, "2026-11-26")
	o.Formats = []string{"md"}
	o.IDs = []string{"robert-miles-infant"}
	sess, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(schools, "robert-miles-infant.toml")
	data, _ := os.ReadFile(cfg)
	edited := bytes.Replace(data, []byte(`name = "Robert Miles Infant School"`), []byte(`name = "Robert Miles Edited School"`), 1)
	if bytes.Equal(edited, data) {
		t.Fatal("the edit did not apply")
	}
	os.WriteFile(cfg, edited, 0o644)
	if _, err := runSession(sess, o); err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(filepath.Join(out, "robert-miles-infant/online-safety.md"))
	if bytes.Contains(md, []byte("Edited")) {
		t.Fatal("rendered text Open did not read")
	}
	res := mustRun(t, o)
	if res.Rendered != 1 {
		t.Errorf("the build after the edit rendered %d schools, want 1 (the manifest recorded the edited file's hash)", res.Rendered)
	}
	md, _ = os.ReadFile(filepath.Join(out, "robert-miles-infant/online-safety.md"))
	if !bytes.Contains(md, []byte("Robert Miles Edited School")) {
		t.Error("the edited name never reached dist")
	}
	verifyOK(t, out)
}

// Two builds into one folder: the second finds it locked and says by
// whom; run at once, whichever ran leaves a manifest that verifies.
func TestAttackConcurrentBuilds(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	o := opts(t, schools, out, "2026-11-26")
	o.Formats = []string{"md", "html"}
	dir, _, err := openOutput(out, out)
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(o)
	if err == nil || !strings.Contains(err.Error(), "is in use by another build (pid ") || !strings.Contains(err.Error(), "hint: wait") {
		t.Fatalf("build into a locked folder: %v", err)
	}
	unlock()
	dir.Close()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = Run(o)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if !strings.Contains(err.Error(), "in use by another build") {
			t.Errorf("concurrent build: %v", err)
		}
	}
	if ok == 0 {
		t.Error("no build succeeded")
	}
	verifyOK(t, out)
	if _, err := os.Stat(filepath.Join(out, lockName)); err == nil {
		t.Error("the lock file outlived the builds")
	}
}

// A write that fails half way through a build (here a folder where a
// file must go, as a full disk fails a rename) leaves a manifest that
// lists only what is on disk, and the failed school rebuilds next time.
func TestAttackFailureAfterValidation(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	o := opts(t, schools, out, "2026-11-26")
	o.Formats = []string{"md", "html"}
	mustRun(t, o)
	// New input for every school, and a file that cannot be replaced.
	os.WriteFile(filepath.Join(schools, "_defaults.toml"), append(must(os.ReadFile(filepath.Join(schools, "_defaults.toml"))), "\n# edited\n"...), 0o644)
	target := filepath.Join(out, "robert-miles-infant", "online-safety.html")
	os.Remove(target)
	os.MkdirAll(filepath.Join(target, "blocker"), 0o755)
	if _, err := Run(o); err == nil || !strings.Contains(err.Error(), "online-safety.html") {
		t.Fatalf("build with an unwritable file: %v", err)
	}
	verifyOK(t, out)
	m, _ := manifest.Read(filepath.Join(out, manifest.Name))
	if s := m.School("robert-miles-infant"); s == nil || s.InputHash != "" {
		t.Errorf("the failed school keeps an input hash: %+v", s)
	}
	os.RemoveAll(target)
	if res := mustRun(t, o); res.Rendered == 0 {
		t.Error("the failed school was not rebuilt")
	}
	verifyOK(t, out)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A logo that is a FIFO (which would block the build for ever), a link
// out of the schools folder, or a PNG whose header claims a huge image
// (a "PNG bomb") is refused by Open, naming the config's logo key.
func TestAttackLogos(t *testing.T) {
	schools := copySchools(t)
	logo := filepath.Join(schools, "logos", "robert-miles-infant.png")
	secret := filepath.Join(filepath.Dir(schools), "secret.png")
	os.WriteFile(secret, must(os.ReadFile(logo)), 0o644)
	bomb := pngHeader(30000, 30000)
	for _, tt := range []struct {
		name, want string
		make       func() error
	}{
		{"fifo", "is not a regular file (a FIFO)", func() error { return mkfifo(logo) }},
		{"link", "is a link that leads outside", func() error { return os.Symlink(secret, logo) }},
		{"relative link", "is a link that leads outside", func() error { return os.Symlink("../../secret.png", logo) }},
		{"bomb", "30000×30000 pixels, more than", func() error { return os.WriteFile(logo, bomb, 0o644) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(logo)
			if err := tt.make(); err != nil {
				if errors.Is(err, errors.ErrUnsupported) {
					t.Skip("no named pipes here")
				}
				t.Fatal(err)
			}
			out := t.TempDir()
			_, err := Run(opts(t, schools, out, "2026-11-26"))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "robert-miles-infant.toml:") || !strings.Contains(err.Error(), "logo:") {
				t.Fatalf("logo %s: %v", tt.name, err)
			}
			if es, _ := os.ReadDir(out); len(es) != 0 {
				t.Errorf("a refused build wrote %v", es)
			}
		})
	}
	if len(bomb) > 1<<20 {
		t.Errorf("the bomb is %d bytes; it should be small", len(bomb))
	}
}

// pngHeader is a small PNG whose header claims w×h 8-bit grey pixels, with
// one row of data: what a decompression bomb looks like to a reader that
// judges the header before the pixels. (Encoding a real 30000×30000 image
// took 90 s under the race detector.)
func pngHeader(w, h uint32) []byte {
	chunk := func(b *bytes.Buffer, kind string, data []byte) {
		binary.Write(b, binary.BigEndian, uint32(len(data)))
		c := crc32.NewIEEE()
		c.Write([]byte(kind))
		c.Write(data)
		b.WriteString(kind)
		b.Write(data)
		binary.Write(b, binary.BigEndian, c.Sum32())
	}
	var b, z bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0) // 8-bit greyscale, no interlace
	chunk(&b, "IHDR", ihdr)
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 1+w))
	zw.Close()
	chunk(&b, "IDAT", z.Bytes())
	chunk(&b, "IEND", nil)
	return b.Bytes()
}
