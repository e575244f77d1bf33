package worddiff

import "testing"

func BenchmarkDiff(b *testing.B) {
	old := "We keep the records of section 10 for 180 days, unless the law requires us to keep them longer, and then delete or anonymize them so that they can no longer be linked to you."
	new := "We keep the records of section 10 for 90 days, unless the law requires us to keep them longer, and then delete or anonymize them so that they can no longer be linked to you."
	b.ReportAllocs()
	for b.Loop() {
		Readable(Diff(old, new))
	}
}
