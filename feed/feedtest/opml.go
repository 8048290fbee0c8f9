// Package feedtest holds what the tests of feed and of the commands share
// about feeds.
package feedtest

import (
	"fmt"
	"strings"
)

// ManyOPML is an OPML document of n feeds on 997 hosts, in folders of 100:
// the size of subscription list an import must take in a second.
func ManyOPML(n int) string {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><body>\n")
	for i := range n {
		if i%100 == 0 {
			if i > 0 {
				b.WriteString("</outline>\n")
			}
			fmt.Fprintf(&b, "<outline text=\"Folder %d\">\n", i/100)
		}
		fmt.Fprintf(&b, "<outline type=\"rss\" text=\"Feed %d\" xmlUrl=\"https://host%d.example/feed/%d.xml\"/>\n", i, i%997, i)
	}
	if n > 0 {
		b.WriteString("</outline>\n")
	}
	b.WriteString("</body></opml>\n")
	return b.String()
}
