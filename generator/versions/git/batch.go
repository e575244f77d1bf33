package git

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"

	"policysite/generator/versions"
)

// A batch is the git cat-file --batch process that reads blobs for a
// Source: one process for a whole build, asked for one blob at a time.
type batch struct {
	// sem holds the right to use the fields below and to talk to the
	// process: one request and its answer at a time.
	sem    chan struct{}
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr *bytes.Buffer
	closed bool
}

// errClosed is returned by Read after Close.
var errClosed = errors.New("reading the git history: the source is closed")

// Read returns the bytes of blob b, an object id from a state of
// States. The first call starts the git process that every later call
// shares, until Close; concurrent calls take turns.
func (s *Source) Read(ctx context.Context, b versions.Blob) ([]byte, error) {
	if !isObjectID(b.ID) {
		// Also keeps a newline or a revision expression ("HEAD:x") out
		// of the process's input.
		return nil, fmt.Errorf("reading the git history: %q is not a git object id", b.ID)
	}
	select {
	case s.batch.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.batch.sem }()
	if s.batch.closed {
		return nil, errClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, err // select may have taken the turn though ctx was done
	}
	for try := 0; ; try++ {
		if s.batch.cmd == nil {
			if err := s.startBatch(ctx); err != nil {
				return nil, err
			}
		}
		data, err := s.batch.request(b.ID)
		if err == nil {
			return data, nil
		}
		var missing *missingError
		if errors.As(err, &missing) {
			return nil, fmt.Errorf("reading the git history of %s: %w", s.opts.Dir, err)
		}
		// The process died or spoke out of turn: end it. It may have
		// been started for a call whose context is cancelled since, so
		// a call whose own context is alive starts another, once.
		stderr := s.batch.stop()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if try > 0 {
			if stderr != "" {
				return nil, s.gitError("cat-file", stderr, err)
			}
			return nil, fmt.Errorf("reading the git history of %s: git cat-file: %w", s.opts.Dir, err)
		}
	}
}

// startBatch starts the cat-file process. ctx ends it when cancelled.
func (s *Source) startBatch(ctx context.Context) error {
	cmd := s.command(ctx, "cat-file", "--batch")
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr := new(bytes.Buffer)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("reading the git history of %s: %w", s.opts.Dir, err)
	}
	s.batch.cmd, s.batch.in, s.batch.out, s.batch.stderr = cmd, in, bufio.NewReaderSize(out, 64<<10), stderr
	return nil
}

// A missingError is a blob the repository does not have: the object is
// missing, or of another type.
type missingError struct{ id, typ string }

func (e *missingError) Error() string {
	if e.typ != "" {
		return fmt.Sprintf("object %s is a %s, not a file", e.id, e.typ)
	}
	return fmt.Sprintf("object %s is missing from the repository (a partial or damaged clone?)", e.id)
}

// request asks the process for blob id and reads its answer: a line
// "ID TYPE SIZE" and SIZE bytes and a newline, or "ID missing".
func (b *batch) request(id string) ([]byte, error) {
	if _, err := io.WriteString(b.in, id+"\n"); err != nil {
		return nil, err
	}
	line, err := b.out.ReadString('\n')
	if err != nil {
		return nil, err
	}
	f := strings.Fields(line)
	if len(f) == 2 && f[0] == id && f[1] == "missing" {
		return nil, &missingError{id: id}
	}
	if len(f) != 3 || f[0] != id {
		return nil, fmt.Errorf("unexpected answer %q", line)
	}
	size, err := strconv.Atoi(f[2])
	if err != nil || size < 0 {
		return nil, fmt.Errorf("unexpected answer %q", line)
	}
	data := make([]byte, size+1)
	if _, err := io.ReadFull(b.out, data); err != nil {
		return nil, err
	}
	if data[size] != '\n' {
		return nil, fmt.Errorf("answer for %s does not end in a newline", id)
	}
	if f[1] != "blob" {
		return nil, &missingError{id: id, typ: f[1]}
	}
	return data[:size], nil
}

// stop ends the process, closing its input and waiting for it, and
// returns what it printed on stderr.
func (b *batch) stop() string {
	if b.cmd == nil {
		return ""
	}
	b.in.Close()
	_ = b.cmd.Wait()
	stderr := b.stderr.String()
	b.cmd, b.in, b.out, b.stderr = nil, nil, nil, nil
	return stderr
}

// Close ends the git process that Read started, if any. Read fails
// after Close; States still works.
func (s *Source) Close() error {
	s.batch.sem <- struct{}{}
	defer func() { <-s.batch.sem }()
	s.batch.closed = true
	s.batch.stop()
	return nil
}
