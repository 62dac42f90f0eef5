// Package serve is policypack's local preview: the dashboard and every
// school's documents rendered in memory through the same pipeline as build
// (nothing is written to dist), reloaded in the browser within a second of
// a saved change to the schools or templates folder. A config or template
// error is shown in the page, and the server keeps running until it is
// fixed.
package serve

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/policypack/policypack/internal/build"
	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/dashboard"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/manifest"
)

// Options configures a preview server.
type Options struct {
	SchoolsDir   string
	TemplatesDir string // "" for the built-in templates only
	AsOf         config.Date
	Version      string    // program version, as in build's metadata
	SourceDate   time.Time // SOURCE_DATE_EPOCH, as build takes it; zero for none
	Log          io.Writer // reloads and errors are reported here; nil for silence
}

// Server renders on request and caches per school until the next change.
type Server struct {
	opts Options

	mu      sync.Mutex
	version int64          // bumped on every reload; pages reload when it changes
	sess    *build.Session // nil while the sources have an error
	err     error          // why sess is nil
	// schoolErrs holds, by school id, the errors of a school whose own
	// config is wrong: the others still serve, and its page shows them.
	schoolErrs map[string]error
	docs       map[string][]compose.Output
	files      map[string]map[string][]build.RenderedFile // school -> format -> files
	subs       map[chan int64]struct{}
}

// New loads the sources once. An error in them is not fatal: it is shown
// in the browser until a save fixes it.
func New(opts Options) *Server {
	s := &Server{opts: opts, subs: map[chan int64]struct{}{}}
	s.Reload()
	return s
}

// Version is the current reload count.
func (s *Server) Version() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version
}

// Err is the current sources error, nil when everything loads.
func (s *Server) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Reload re-reads the configs and templates, drops every cached page and
// tells the open pages to reload.
func (s *Server) Reload() {
	bo := build.Options{
		SchoolsDir: s.opts.SchoolsDir, TemplatesDir: s.opts.TemplatesDir, AsOf: s.opts.AsOf, Version: s.opts.Version, SourceDate: s.opts.SourceDate,
	}
	sess, err := build.Open(bo)
	var schoolErrs map[string]error
	if err != nil {
		// One school's bad config must not take every page down: when
		// every error is in a school's own file, open the others.
		if good, bad := s.partition(err); len(bad) > 0 && len(good) > 0 {
			bo.IDs = good
			if gs, gerr := build.Open(bo); gerr == nil {
				sess, err, schoolErrs = gs, nil, bad
			}
		}
	}
	s.mu.Lock()
	s.version++
	s.sess, s.err, s.schoolErrs = sess, err, schoolErrs
	s.docs = map[string][]compose.Output{}
	s.files = map[string]map[string][]build.RenderedFile{}
	v := s.version
	for ch := range s.subs {
		select {
		case ch <- v:
		default: // a slow page gets the next one
		}
	}
	s.mu.Unlock()
	if s.opts.Log != nil {
		for _, id := range slices.Sorted(maps.Keys(schoolErrs)) {
			fmt.Fprintf(s.opts.Log, "%s error in %s (its page shows it until it is fixed; the other schools still serve):\n%v\n", time.Now().Format("15:04:05"), id, schoolErrs[id])
		}
		if err != nil {
			fmt.Fprintf(s.opts.Log, "%s error (the page shows it until it is fixed):\n%v\n", time.Now().Format("15:04:05"), err)
		} else if v > 1 {
			fmt.Fprintf(s.opts.Log, "%s reloaded\n", time.Now().Format("15:04:05"))
		}
	}
}

// partition sorts a load error by school: good lists the schools with no
// error of their own, bad each school's errors. bad is nil when any error
// lies outside a school's own file (a shared defaults file, a template),
// since that one affects every school.
func (s *Server) partition(err error) (good []string, bad map[string]error) {
	entries, rerr := os.ReadDir(s.opts.SchoolsDir)
	if rerr != nil {
		return nil, nil
	}
	byFile := map[string]string{}
	var ids []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || filepath.Ext(name) != ".toml" || strings.HasPrefix(name, "_") {
			continue
		}
		id := strings.TrimSuffix(name, ".toml")
		ids = append(ids, id)
		byFile[filepath.Join(s.opts.SchoolsDir, name)] = id
	}
	lists := map[string]diag.List{}
	for _, p := range diag.ToJSON(err) {
		id, ok := byFile[p.File]
		if !ok {
			return nil, nil
		}
		lists[id] = append(lists[id], &diag.Error{File: p.File, Line: p.Line, Col: p.Col, Key: p.Key, Msg: p.Message, Hint: p.Hint})
	}
	bad = map[string]error{}
	for id, l := range lists {
		bad[id] = l
	}
	for _, id := range ids {
		if _, ok := bad[id]; !ok {
			good = append(good, id)
		}
	}
	return good, bad
}

// schoolErr is the load error of school id, nil when it loaded.
func (s *Server) schoolErr(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.schoolErrs[id]
}

// compose returns (and caches) one school's composed documents.
func (s *Server) compose(sess *build.Session, v int64, id string) ([]compose.Output, error) {
	s.mu.Lock()
	docs, ok := s.docs[id]
	s.mu.Unlock()
	if ok {
		return docs, nil
	}
	sc := sess.School(id)
	if sc == nil {
		return nil, errNotFound
	}
	docs, err := sess.Composer.School(sc)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.version == v {
		s.docs[id] = docs
	}
	s.mu.Unlock()
	return docs, nil
}

var errNotFound = errors.New("not found")

// docxType is the media type of a Word document.
const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// render returns (and caches) one school's files in one format.
func (s *Server) render(sess *build.Session, v int64, id, format string) ([]build.RenderedFile, error) {
	s.mu.Lock()
	files, ok := s.files[id][format]
	s.mu.Unlock()
	if ok {
		return files, nil
	}
	docs, err := s.compose(sess, v, id)
	if err != nil {
		return nil, err
	}
	sc := sess.School(id)
	if _, ok := build.FormatRenderer(format); !ok {
		return nil, errNotFound
	}
	files, err = sess.RenderSchool(sc, docs, []string{format})
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.version == v {
		if s.files[id] == nil {
			s.files[id] = map[string][]build.RenderedFile{}
		}
		s.files[id][format] = files
	}
	s.mu.Unlock()
	return files, nil
}

// manifest lists what the preview serves, as build's manifest does (the
// same entries, from build), without rendering anything: the dashboard
// needs only paths, titles and reviews.
//
// A school whose documents fail to compose is left out, and its error is
// returned in failed (by school id) for the dashboard to show.
func (s *Server) manifest(sess *build.Session, v int64) (m *manifest.Manifest, failed map[string]error) {
	m = sess.NewManifest()
	failed = map[string]error{}
	for _, sc := range sess.Set.Schools {
		docs, err := s.compose(sess, v, sc.ID)
		if err == nil {
			err = sess.NoteCoverage(sc, docs)
		}
		if err != nil {
			failed[sc.ID] = err
			continue
		}
		m.Schools = append(m.Schools, sess.ManifestSchool(sc))
		m.Files = append(m.Files, sess.PlanFiles(sc, docs, sess.Formats)...)
	}
	m.Sort()
	return m, failed
}

// Handler serves the preview.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_policypack/events", s.events)
	mux.HandleFunc("GET /_policypack/version", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprint(w, s.Version())
	})
	mux.HandleFunc("GET /{$}", s.dashboard)
	mux.HandleFunc("GET /index.html", s.dashboard)
	mux.HandleFunc("GET /{school}/{file...}", s.document)
	return mux
}

func (s *Server) snapshot() (*build.Session, int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sess, s.version, s.err
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	sess, v, err := s.snapshot()
	if err != nil {
		s.errorPage(w, v, err)
		return
	}
	m, failed := s.manifest(sess, v)
	s.mu.Lock()
	for id, e := range s.schoolErrs {
		failed[id] = e
	}
	s.mu.Unlock()
	if len(m.Schools) == 0 && len(failed) > 0 {
		var all []error
		for _, id := range slices.Sorted(maps.Keys(failed)) {
			all = append(all, failed[id])
		}
		s.errorPage(w, v, errors.Join(all...))
		return
	}
	page, err := dashboard.Render(m)
	if err != nil {
		s.errorPage(w, v, err)
		return
	}
	// The schools that fail are listed above the dashboard, each with its
	// problems; the rest of the trust is previewed as usual.
	s.html(w, http.StatusOK, v, withProblems(page, failed))
}

func (s *Server) document(w http.ResponseWriter, r *http.Request) {
	sess, v, err := s.snapshot()
	if err != nil {
		s.errorPage(w, v, err)
		return
	}
	id, file := r.PathValue("school"), r.PathValue("file")
	if err := s.schoolErr(id); err != nil {
		s.errorPage(w, v, err)
		return
	}
	want := id + "/" + file
	format := strings.TrimPrefix(path.Ext(file), ".")
	var files []build.RenderedFile
	if rep := slices.IndexFunc(sess.Reports(), func(rp build.Report) bool { return want == id+"/"+rp.ID+"."+rp.Format }); rep >= 0 {
		// Reports come with build's render of the school.
		files, err = s.render(sess, v, id, firstFormat(sess))
	} else {
		files, err = s.render(sess, v, id, format)
	}
	if errors.Is(err, errNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.errorPage(w, v, err)
		return
	}
	for _, f := range files {
		if f.Path != want {
			continue
		}
		if f.Format == "html" {
			s.html(w, http.StatusOK, v, f.Data)
			return
		}
		ct := mime.TypeByExtension("." + f.Format)
		switch f.Format {
		case "md":
			ct = "text/markdown; charset=utf-8"
		case "docx":
			// Not in Go's built-in table, and a system's mime.types may
			// lack it: a browser then opens the file in Word.
			ct = docxType
		}
		if ct == "" {
			ct = "application/octet-stream"
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Cache-Control", "no-store")
		w.Write(f.Data)
		return
	}
	http.NotFound(w, r)
}

func firstFormat(sess *build.Session) string {
	if len(sess.Formats) > 0 {
		return sess.Formats[0]
	}
	return "md"
}

// html writes a page with the reload script added. The script goes into
// served pages only, never into built files.
func (s *Server) html(w http.ResponseWriter, status int, v int64, page []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	script := []byte(fmt.Sprintf(reloadScript, v))
	if i := bytes.LastIndex(page, []byte("</body>")); i >= 0 {
		w.Write(page[:i])
		w.Write(script)
		w.Write(page[i:])
		return
	}
	w.Write(page)
	w.Write(script)
}

// reloadScript listens for reloads over server-sent events and reloads the
// page when the version differs from the one it was rendered at (so a
// change made while the page loaded is not missed). If events are not
// available it polls the version once a second.
const reloadScript = `<script data-policypack-reload>
(function () {
  var v = %d;
  function check(nv) { if (String(nv) !== String(v)) { location.reload(); } }
  function poll() {
    setInterval(function () {
      fetch("/_policypack/version", {cache: "no-store"}).then(function (r) { return r.text(); }).then(check, function () {});
    }, 1000);
  }
  if (!window.EventSource) { poll(); return; }
  var es = new EventSource("/_policypack/events");
  es.onmessage = function (e) { check(e.data); };
})();
</script>
`

// events streams the version to a page: once on connect, then on every
// reload.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch := make(chan int64, 1)
	s.mu.Lock()
	s.subs[ch] = struct{}{}
	v := s.version
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.subs, ch)
		s.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	// retry: reconnect quickly after the server restarts.
	fmt.Fprintf(w, "retry: 500\ndata: %d\n\n", v)
	fl.Flush()
	keep := time.NewTicker(15 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case v := <-ch:
			fmt.Fprintf(w, "data: %d\n\n", v)
			fl.Flush()
		case <-keep.C:
			fmt.Fprint(w, ": keep-alive\n\n")
			fl.Flush()
		}
	}
}
