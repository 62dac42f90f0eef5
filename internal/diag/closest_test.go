package diag

import "testing"

func TestClosest(t *testing.T) {
	keys := []string{"headteacher", "dsl", "deputy_dsl", "chair_of_governors", "online-safety", "kcsie-2025-filtering"}
	for _, tc := range []struct{ in, want string }{
		{"headteahcer", "headteacher"}, // a swapped pair
		{"dls", "dsl"},                 // a swapped pair in a short word
		{"Headteacher", "headteacher"}, // case alone is no edit
		{"HEADTEACHR", "headteacher"},  // case and a dropped letter
		{"deputydsl", "deputy_dsl"},    // a missing separator
		{"chair_of_governers", "chair_of_governors"},
		{"onlinesafty", "online-safety"}, // two edits, within a third of the length
		{"kcsie-2025-filtring", "kcsie-2025-filtering"},
		{"bursar", ""}, // nothing is close
		{"xy", ""},     // every letter changed is not a typo
		{"", ""},
	} {
		if got := Closest(tc.in, keys); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// A tie goes to the earlier candidate, so the answer does not depend on map order.
	if got := Closest("cat", []string{"bat", "hat"}); got != "bat" {
		t.Errorf("tie: got %q", got)
	}
	if got := DidYouMean("dls", keys); got != `did you mean "dsl"?` {
		t.Errorf("DidYouMean: got %q", got)
	}
	if got := DidYouMean("bursar", keys); got != "" {
		t.Errorf("DidYouMean with nothing close: got %q", got)
	}
}
