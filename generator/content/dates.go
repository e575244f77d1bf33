package content

import (
	"fmt"
	"time"
)

// minYear is the earliest year a front-matter date may have. Year 1 is
// Go's zero time, which templates treat as "no date", so 0001-01-01
// would silently drop "Last updated"; no policy page is older than 1900.
const minYear = 1900

// checkDate refuses dates that cannot be the date of a page.
func checkDate(t time.Time) error {
	if t.Year() < minYear {
		return fmt.Errorf("date %s is not a real date for a page (before %d); use the date the page last changed, YYYY-MM-DD", t.Format("2006-01-02"), minYear)
	}
	return nil
}
