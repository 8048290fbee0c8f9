package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// localPath tells a local file (a path without scheme, or a file: URL)
// from a remote URL and returns the path to read.
func localPath(raw string) (path string, local bool, err error) {
	if len(raw) >= 5 && strings.EqualFold(raw[:5], "file:") {
		u, err := url.Parse(raw)
		if err != nil {
			return "", true, err
		}
		if u.Host != "" && !strings.EqualFold(u.Host, "localhost") {
			return "", true, fmt.Errorf("file URL with host %q not supported", u.Host)
		}
		path = u.Path
		if path == "" {
			path = u.Opaque // file:x.xml
		}
		if path == "" {
			return "", true, errors.New("file URL without a path")
		}
		return filepath.FromSlash(path), true, nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || len(u.Scheme) == 1 { // len 1: a Windows drive letter
		return raw, true, nil
	}
	return "", false, nil
}

// readFile reads a local feed with the MaxBody cap; errors read "read NAME: …".
// Only a regular file is read: a named pipe or a device could keep the read
// waiting for ever, or never end. It is opened without blocking (a pipe's
// open waits for a writer) and checked once open, so that nothing swapped in
// after a check by name is read.
func (f *Fetcher) readFile(ctx context.Context, req Request, path string) (Response, error) {
	fail := func(err error) (Response, error) {
		msg := err.Error()
		if pe, ok := errors.AsType[*os.PathError](err); ok {
			msg, err = pe.Err.Error(), pe.Err // the path is already in the message
		}
		if ctx.Err() != nil {
			msg = why(ctx, err)
		}
		return Response{}, &opError{op: "read", url: req.URL, msg: msg, err: err}
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	fh, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return fail(err)
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return fail(err)
	}
	if !fi.Mode().IsRegular() {
		return fail(fmt.Errorf("not a regular file (%s): only regular files are read as feeds", fileKind(fi.Mode())))
	}
	if fi.Size() > f.maxBody {
		return fail(fmt.Errorf("exceeds %s: %w", formatSize(f.maxBody), errTooBig))
	}
	if req.Admit != nil { // a file cannot keep us waiting: room first, then read
		if err := req.Admit(ctx); err != nil {
			return fail(err)
		}
	}
	body, err := readCapped(ctxReader{ctx, fh}, f.maxBody, fi.Size())
	if errors.Is(err, errTooBig) {
		return fail(fmt.Errorf("exceeds %s: %w", formatSize(f.maxBody), err))
	}
	if err != nil {
		return fail(err)
	}
	// No content type: a file has no header to say its charset, and the
	// one mime.TypeByExtension gives for .xml ("charset=utf-8") would
	// override what the document itself declares.
	return Response{URL: req.URL, Body: body}, nil
}

// fileKind names what a file that is not a regular one is.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "of type " + m.Type().String()
}

// ctxReader stops reading once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(b)
}
