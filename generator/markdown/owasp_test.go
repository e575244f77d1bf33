package markdown

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// owaspCases are vectors of the OWASP XSS Filter Evasion Cheat Sheet
// (cheatsheets/XSS_Filter_Evasion_Cheat_Sheet.md in
// OWASP/CheatSheetSeries), plus the srcdoc, meta refresh and SVG
// animation cases of issue 20. scriptURL marks those whose script is in
// a URL, which the check of markdown.unsafe = true must report; unsafe
// mode passes the rest (scripts and handlers) as its documentation says.
var owaspCases = []struct {
	html      string
	scriptURL bool
}{
	{`<SCRIPT SRC=https://cdn.example/xss.js></SCRIPT>`, false},
	{"javascript:/*--></title></style></textarea></script></xmp>\n<svg/onload='+/\"`/+/onmouseover=1/+/[*/[]/+alert(42);//'>", false},
	{`<a onmouseover="alert(document.cookie)">xxs link</a>`, false},
	{`<a onmouseover=alert(document.cookie)>xxs link</a>`, false},
	{`<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\>`, false},
	{`<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>`, true},
	{`<IMG SRC=# onmouseover="alert('xxs')">`, false},
	{`<IMG SRC= onmouseover="alert('xxs')">`, false},
	{`<IMG onmouseover="alert('xxs')">`, false},
	{`<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>`, false},
	{`<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">`, false},
	{`<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>`, true},
	{`<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>`, true},
	{`<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>`, true},
	{"<IMG SRC=\"jav\tascript:alert('XSS');\">", true},
	{`<IMG SRC="jav&#x09;ascript:alert('XSS');">`, true},
	{`<IMG SRC="jav&#x0A;ascript:alert('XSS');">`, true},
	{`<IMG SRC="jav&#x0D;ascript:alert('XSS');">`, true},
	// Browsers read the NUL as U+FFFD, so this is no longer a script URL.
	{"<IMG SRC=java\x00script:alert(\"XSS\")>", false},
	{`<IMG SRC=" &#14;  javascript:alert('XSS');">`, true},
	{`<SCRIPT/XSS SRC="http://xss.example/xss.js"></SCRIPT>`, false},
	{"<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>", false},
	{`<SCRIPT/SRC="http://xss.example/xss.js"></SCRIPT>`, false},
	{`<<SCRIPT>alert("XSS");//\<</SCRIPT>`, false},
	{`<SCRIPT SRC=http://xss.example/xss.js?< B >`, false},
	{`<SCRIPT SRC=//xss.example/.j>`, false},
	{`<IMG SRC="` + "`" + `<javascript:alert>` + "`" + `('XSS')"`, false},
	{`<iframe src=http://xss.example/scriptlet.html <`, false},
	{`</script><script>alert('XSS');</script>`, false},
	{`</TITLE><SCRIPT>alert("XSS");</SCRIPT>`, false},
	{`<INPUT TYPE="IMAGE" SRC="javascript:alert('XSS');">`, true},
	{`<BODY BACKGROUND="javascript:alert('XSS')">`, true},
	{`<IMG DYNSRC="javascript:alert('XSS')">`, true},
	{`<IMG LOWSRC="javascript:alert('XSS')">`, true},
	{`<STYLE>li {list-style-image: url("javascript:alert('XSS')");}</STYLE><UL><LI>XSS</br>`, false},
	{`<IMG SRC='vbscript:msgbox("XSS")'>`, true},
	{`<svg/onload=alert('XSS')>`, false},
	{`<BODY ONLOAD=alert('XSS')>`, false},
	{`<BGSOUND SRC="javascript:alert('XSS');">`, true},
	{`<LINK REL="stylesheet" HREF="javascript:alert('XSS');">`, true},
	{`<STYLE>@import'http://xss.example/xss.css';</STYLE>`, false},
	{`<META HTTP-EQUIV="Link" Content="<http://xss.example/xss.css>; REL=stylesheet">`, false},
	{`<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert('XSS');">`, true},
	{`<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">`, true},
	{`<IFRAME SRC="javascript:alert('XSS');"></IFRAME>`, true},
	{`<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>`, false},
	{`<FRAMESET><FRAME SRC="javascript:alert('XSS');"></FRAMESET>`, true},
	{`<TABLE BACKGROUND="javascript:alert('XSS')">`, true},
	{`<TABLE><TD BACKGROUND="javascript:alert('XSS')">`, true},
	{`<DIV STYLE="background-image: url(javascript:alert('XSS'))">`, false},
	{`<DIV STYLE="width: expression(alert('XSS'));">`, false},
	{`<BASE HREF="javascript:alert('XSS');//">`, true},
	{`<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.example/scriptlet.html"></OBJECT>`, false},
	{`<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0Pjwvc3ZnPg==" type="image/svg+xml" AllowScriptAccess="always"></EMBED>`, true},
	{`<a href="jav&#x61;script:alert(1)">x</a>`, true},
	{`<a href="JaVaScRiPt:alert(1)">x</a>`, true},
	{`<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>`, true},
	{`<math><a xlink:href="javascript:alert(1)">x</a></math>`, true},
	{`<iframe srcdoc="<script>alert(1)</script>"></iframe>`, true},
	{`<iframe srcdoc="&lt;img src=x onerror=alert(1)&gt;"></iframe>`, true},
	{`<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text y="20">x</text></a></svg>`, true},
	{`<svg><a><set attributeName="href" to="javascript:alert(1)"/><text y="20">x</text></a></svg>`, true},
	{`<img srcset="a.png 1x, javascript:alert(1) 2x">`, true},
	{`<details open ontoggle=alert(1)>`, false},
	{`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`, true},
}

// executable describes the first thing in rendered HTML that could run
// script or load it, or returns "".
func executable(out string) string {
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			switch string(name) {
			case "script", "style", "iframe", "frame", "frameset", "object", "embed", "base", "meta", "link",
				"form", "input", "button", "svg", "math", "body", "bgsound", "animate", "set":
				return "<" + string(name) + ">"
			}
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				if strings.HasPrefix(string(k), "on") || string(k) == "style" || string(k) == "srcdoc" {
					return string(k) + " attribute"
				}
				switch string(k) {
				case "href", "src", "action", "formaction", "background", "srcset", "poster", "data", "xlink:href", "lowsrc", "dynsrc":
					// The tokenizer has decoded v once, as a browser does;
					// Dangerous decodes its source text again and again to
					// be safe, which would flag text that only looks like
					// an escape once decoded.
					if scriptScheme(string(v)) {
						return string(k) + "=" + string(v)
					}
				}
			}
		}
	}
}

// scriptScheme is the oracle's own, broader check of an attribute value
// the tokenizer decoded: does its scheme (what comes before the first
// colon, unless a slash, ? or # comes first) name a script?
func scriptScheme(v string) bool {
	v = strings.ToLower(v)
	v = strings.Map(func(r rune) rune {
		if r <= ' ' {
			return -1
		}
		return r
	}, v)
	if u, err := url.PathUnescape(v); err == nil {
		v = u
	}
	scheme, _, ok := strings.Cut(v, ":")
	if !ok || strings.ContainsAny(scheme, "/?#") {
		return false
	}
	if scheme == "data" {
		for _, img := range []string{"data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"} {
			if strings.HasPrefix(v, img) {
				return false
			}
		}
		return true
	}
	return strings.Contains(scheme, "script") || scheme == "mocha"
}

// TestOWASP renders every vector as an HTML block and inline: sanitized,
// nothing that could run gets out and every removal is reported; with
// markdown.unsafe, every script URL is reported as a problem.
func TestOWASP(t *testing.T) {
	safe, unsafe := New(Options{}), New(Options{Unsafe: true})
	for _, c := range owaspCases {
		for _, doc := range []string{c.html + "\n", "Text " + c.html + " more.\n", "<div>\n" + c.html + "\n</div>\n"} {
			res, err := safe.Render([]byte(doc), RenderOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if bad := executable(string(res.HTML)); bad != "" {
				t.Errorf("Render(%q) = %q: has %s", doc, res.HTML, bad)
			}
			// A vector that Markdown shows as text ("&lt;…") removes
			// nothing; one read as HTML must be reported.
			if executable(doc) != "" && !strings.Contains(string(res.HTML), "&lt;") && len(res.Warnings) == 0 {
				t.Errorf("Render(%q) removed something without a warning:\n%s", doc, res.HTML)
			}
			if !c.scriptURL {
				continue
			}
			res, err = unsafe.Render([]byte(doc), RenderOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Problems) == 0 {
				t.Errorf("unsafe Render(%q) reported no problem", doc)
			}
		}
	}
}
