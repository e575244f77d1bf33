package parallel

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestFor(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		out := make([]int, n)
		if err := For(context.Background(), n, func(i int) { out[i] = i * i }); err != nil {
			t.Fatal(err)
		}
		for i, v := range out {
			if v != i*i {
				t.Fatalf("For(%d): out[%d] = %d", n, i, v)
			}
		}
	}
}

func TestForCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int64
	err := For(ctx, 100000, func(i int) {
		if calls.Add(1) == 10 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v; want context.Canceled", err)
	}
	if c := calls.Load(); c >= 100000 {
		t.Errorf("%d calls after cancel; want the rest skipped", c)
	}
}
