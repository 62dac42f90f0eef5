package cli

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

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
			watchesInterrupt.Store(true)
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
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
	asOf, source, err := buildDates(opts.AsOf)
	if err != nil {
		return err
	}
	// Outside a trust there is nothing to preview or watch: say so once
	// and stop, rather than serve a page that only says it.
	if st, err := os.Stat(opts.SchoolsDir); err != nil || !st.IsDir() {
		return &diag.Error{File: opts.SchoolsDir, Msg: "schools folder not found: nothing to preview",
			Hint: "run policypack serve inside your trust's folder (or any folder below it), pass --schools DIR, or start a trust with `policypack init DIR`"}
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(opts.Bind, strconv.Itoa(opts.Port)))
	if err != nil {
		return &diag.Error{Msg: fmt.Sprintf("cannot listen on %s port %d: %v", opts.Bind, opts.Port, err), Err: err,
			Hint: "another server may be using it; pass --port with another number"}
	}
	if !serve.IsLoopback(opts.Bind) {
		fmt.Fprintf(opts.IO.ErrOut, "warning: listening on %s: other computers on your network can see this preview\n", opts.Bind)
	}
	srv := serve.New(serve.Options{SchoolsDir: opts.SchoolsDir, TemplatesDir: opts.TemplatesDir, AsOf: asOf, Version: Version, SourceDate: source, Log: opts.IO.ErrOut})
	// Reload has logged any error in the sources (shown in the browser
	// until a save fixes it); it is not printed again here.
	return srv.Serve(ctx, ln, opts.IO.ErrOut, opts.Ready)
}
