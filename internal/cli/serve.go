package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/serve"
)

// ServeOptions are the flags of `policypack serve`.
type ServeOptions struct {
	IO           IO
	SchoolsDir   string
	TemplatesDir string
	Port         int
	Bind         string
	AsOf         string
	// Ready, if set, is called with the server's base URL once it is
	// listening (tests use port 0 and learn the port here).
	Ready func(url string)
}

func newServeCmd(io IO) *cobra.Command {
	opts := &ServeOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Preview the dashboard and every pack in the browser, reloading on save",
		Long: `Serve renders the trust dashboard and every school's documents (HTML and PDF) in
memory, through the same pipeline as build, and serves them on
http://127.0.0.1:1313/. Nothing is written to dist. It watches the schools and
templates folders and reloads the open page within a second of a save. A config
or template error is shown in the page (file, line, key and a hint) and the
server keeps running; fixing the file clears it. Ctrl-C stops it.

The server listens on the loopback address only, so nobody else on the network
can see your drafts, unless --bind says otherwise.`,
		Example: `  policypack serve
  policypack serve --port 8080`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runServe(ctx, opts)
		},
	}
	addSourceFlags(cmd, &opts.SchoolsDir, &opts.TemplatesDir)
	cmd.Flags().IntVar(&opts.Port, "port", 1313, "port to listen on (0 picks a free one)")
	cmd.Flags().StringVar(&opts.Bind, "bind", "127.0.0.1", "address to listen on; anything but loopback exposes the preview to your network")
	addAsOfFlag(cmd, &opts.AsOf)
	return cmd
}

func runServe(ctx context.Context, opts *ServeOptions) error {
	if opts.Port < 0 || opts.Port > 65535 {
		return usagef("--port %d: use 1-65535, or 0 for any free port", opts.Port)
	}
	asOf, err := asOfDate(opts.AsOf)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(opts.Bind, strconv.Itoa(opts.Port)))
	if err != nil {
		return &diag.Error{Msg: fmt.Sprintf("cannot listen on %s port %d: %v", opts.Bind, opts.Port, err), Err: err,
			Hint: "another server may be using it; pass --port with another number"}
	}
	loopback := isLoopback(opts.Bind)
	if !loopback {
		fmt.Fprintf(opts.IO.ErrOut, "warning: listening on %s: other computers on your network can see this preview\n", opts.Bind)
	}
	srv := serve.New(serve.Options{SchoolsDir: opts.SchoolsDir, TemplatesDir: opts.TemplatesDir, AsOf: asOf, Version: Version, Log: opts.IO.ErrOut})
	if err := srv.Err(); err != nil {
		fmt.Fprintf(opts.IO.ErrOut, "error (shown in the browser until fixed):\n%v\n", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	handler := srv.Handler()
	if loopback {
		handler = loopbackHostOnly(handler)
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
	go func() { watchErr <- srv.Watch(ctx); close(watchDone) }()
	// However runServe returns, the watcher (which may be rebuilding and
	// logging) has stopped first: nothing writes after "stopped".
	defer func() { cancel(); <-watchDone }()
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()

	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(opts.IO.ErrOut, "Serving the preview at %s (Ctrl-C to stop)\n", url)
	if opts.Ready != nil {
		opts.Ready(url)
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
	fmt.Fprintln(opts.IO.ErrOut, "stopped")
	return nil
}

// loopbackHostOnly refuses requests whose Host is not a loopback name, so a
// web page elsewhere cannot reach the preview through DNS rebinding (a name
// it controls pointed at 127.0.0.1) and read the drafts.
func loopbackHostOnly(h http.Handler) http.Handler {
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

// isLoopback reports whether a --bind address (an IP or a name such as
// localhost) refers to this machine only.
func isLoopback(bind string) bool {
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
