package review

import "policysite/generator/worddiff"

// wordTokens splits s as the word diff does (see worddiff.Tokens).
func wordTokens(s string) []string { return worddiff.Tokens(s) }

// wordDiff returns the word-level diff of old and new (see
// worddiff.Diff), as the review's JSON spans.
func wordDiff(old, new string) []Span {
	spans := worddiff.Diff(old, new)
	out := make([]Span, len(spans))
	for i, sp := range spans {
		out[i] = Span(sp)
	}
	return out
}
