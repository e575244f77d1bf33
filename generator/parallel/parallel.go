// Package parallel runs independent pieces of work on all cores.
package parallel

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls fn(i) for every i in [0, n) on up to GOMAXPROCS goroutines
// and returns once every call has returned. When ctx is cancelled, the
// calls not yet started are skipped and For returns ctx's error. Callers
// store results by index, so what they produce never depends on the
// order in which the calls ran.
func For(ctx context.Context, n int, fn func(i int)) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		// Each worker stops when the indexes run out or ctx is cancelled.
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}
