package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

// Serve serves the preview on ln and watches the sources until ctx is
// done (Ctrl-C), then shuts down: open pages' event streams end at once,
// and the watcher, which may be rebuilding and logging, has stopped before
// Serve returns, so nothing is written after "stopped". On a loopback
// address it answers only requests for a loopback host name (see
// LoopbackOnly). ready, if not nil, is called with the base URL once the
// server accepts requests. Progress lines go to log.
func (s *Server) Serve(ctx context.Context, ln net.Listener, log io.Writer, ready func(url string)) error {
	if log == nil {
		log = io.Discard
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	handler := s.Handler()
	if host, _, err := net.SplitHostPort(ln.Addr().String()); err == nil && IsLoopback(host) {
		handler = LoopbackOnly(handler)
	}
	hs := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		// Requests share ctx, so open event streams end on Ctrl-C and
		// shutdown does not wait for them.
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	watchErr := make(chan error, 1)
	watchDone := make(chan struct{})
	go func() { watchErr <- s.Watch(ctx); close(watchDone) }()
	defer func() { cancel(); <-watchDone }()
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()

	url, others := announce(ln.Addr())
	fmt.Fprintf(log, "Serving the preview at %s (Ctrl-C to stop)\n", url)
	if others != "" {
		fmt.Fprintf(log, "Other computers on your network can open %s\n", others)
	}
	if ready != nil {
		ready(url)
	}
	select {
	case <-ctx.Done():
	case err := <-serveErr:
		return err
	case err := <-watchErr:
		if err != nil {
			hs.Close()
			return err
		}
		<-ctx.Done()
	}
	shutdown, done := context.WithTimeout(context.Background(), 3*time.Second)
	defer done()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	cancel()
	<-watchDone
	fmt.Fprintln(log, "stopped")
	return nil
}

// LoopbackOnly refuses requests whose Host is not a loopback name, so a
// web page elsewhere cannot reach the preview through DNS rebinding (a name
// it controls pointed at 127.0.0.1) and read the drafts.
func LoopbackOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			http.Error(w, "policypack serve answers only to localhost", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// IsLoopback reports whether an address to listen on (an IP or a name such
// as localhost) refers to this machine only.
func IsLoopback(bind string) bool {
	if ip := net.ParseIP(bind); ip != nil {
		return ip.IsLoopback()
	}
	addrs, err := net.LookupIP(bind)
	if err != nil || len(addrs) == 0 {
		return false
	}
	for _, ip := range addrs {
		if !ip.IsLoopback() {
			return false
		}
	}
	return true
}

// announce is the address to open for a listener: on an unspecified
// address (--bind 0.0.0.0 or ::, which prints as [::]) that is this
// computer's loopback, which a browser can open, and others is how the rest
// of the network reaches it (by host name); "" when it is not exposed.
func announce(addr net.Addr) (url, others string) {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + "/", ""
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsUnspecified() {
		return "http://" + net.JoinHostPort(host, port) + "/", ""
	}
	url = "http://" + net.JoinHostPort("127.0.0.1", port) + "/"
	name, err := os.Hostname()
	if err != nil || name == "" {
		return url, "this computer's address, port " + port
	}
	return url, "http://" + net.JoinHostPort(name, port) + "/"
}
