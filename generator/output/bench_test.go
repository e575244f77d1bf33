package output_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"policysite/generator/output"
)

// BenchmarkStagedWrite times writing 40 KB pages into a staged build,
// first into an empty output, then over a previous build with the same
// bytes (which WriteFile compares to keep modification times).
func BenchmarkStagedWrite(b *testing.B) {
	page := bytes.Repeat([]byte("<p>Personal data we collect.</p>\n"), 40<<10/33)
	for _, previous := range []bool{false, true} {
		b.Run(fmt.Sprintf("previous=%t", previous), func(b *testing.B) {
			out := filepath.Join(b.TempDir(), "public")
			if previous {
				s, err := output.Begin(context.Background(), out, output.Options{})
				if err != nil {
					b.Fatal(err)
				}
				for i := range 1000 {
					if err := s.WriteFile(fmt.Sprintf("p%d/index.html", i), page); err != nil {
						b.Fatal(err)
					}
				}
				if err := s.Commit(); err != nil {
					b.Fatal(err)
				}
			}
			s, err := output.Begin(context.Background(), out, output.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Abort()
			b.SetBytes(int64(len(page)))
			i := 0
			for b.Loop() {
				if err := s.WriteFile(fmt.Sprintf("p%d/index.html", i%1000+i/1000*1000), page); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
