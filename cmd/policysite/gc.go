package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"

	"policysite/generator"
)

// tuneGC sets GOGC after every garbage collection from the live heap it
// left, with generator.GCPercent: a fixed GOGC is either too eager for
// small sites (a third of a 130-page build was collection at GOGC=50) or
// too lax for large ones. The runtime has no hook after a collection,
// so a finalizer on an unreachable object, re-armed each time, stands in
// for one (as Uber's gctuner does).
func tuneGC() {
	debug.SetGCPercent(generator.GCPercent(0))
	armGCTuner()
}

type gcSentinel struct{ _ [16]byte } // finalizers need a non-zero size

func armGCTuner() {
	runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(s)
		if s[0].Value.Kind() == metrics.KindUint64 {
			debug.SetGCPercent(generator.GCPercent(s[0].Value.Uint64()))
		}
		armGCTuner()
	})
}
