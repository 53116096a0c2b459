import { describe, expect, it } from "vitest";
import { RpcError } from "../../shared/rpc-error.js";
import { parseXml, XmlSyntaxError, type XmlElement } from "./xml-reader.js";

function refuses(xml: string, pattern: RegExp, options?: { maxDepth: number }): void {
  try {
    parseXml(xml, options);
  } catch (error) {
    expect(error, "throw an XmlSyntaxError (via fail(...))").toBeInstanceOf(XmlSyntaxError);
    expect((error as RpcError).code).toBe("bad_message");
    expect((error as Error).message).toMatch(pattern);
    return;
  }
  expect.unreachable(`parseXml must refuse: ${xml.slice(0, 80)}`);
}

/** The text of an element, joined. */
const text = (element: XmlElement) => element.children.join("");

describe("task 2: read XML safely", () => {
  it("reads elements and text into a tree", () => {
    const root = parseXml('<?xml version="1.0"?>\n<a><b>one</b><c/>two</a>\n');
    expect(root).toEqual({
      name: "a",
      children: [{ name: "b", children: ["one"] }, { name: "c", children: [] }, "two"],
    });
  });

  it("turns the five predefined entities and character references into text", () => {
    expect(text(parseXml("<s>&lt;&gt;&amp;&quot;&apos;</s>"))).toBe(`<>&"'`);
    expect(text(parseXml("<s>&#65;&#x42;&#x1F30D;</s>"))).toBe("AB🌍");
    expect(text(parseXml("<s>a &amp;lt; b</s>")), "&amp;lt; is the text &lt;, not <").toBe(
      "a &lt; b",
    );
  });

  it("reads line ends as XML does: CR LF and CR become LF, but &#13; stays CR", () => {
    expect(text(parseXml("<s>a\r\nb\rc</s>"))).toBe("a\nb\nc");
    expect(text(parseXml("<s>a&#13;\nb</s>"))).toBe("a\r\nb");
  });

  it("skips comments, processing instructions and attributes; keeps CDATA as text", () => {
    const root = parseXml(
      "\uFEFF<?xml version='1.0' encoding='UTF-8'?><!-- hi --><a x=\"1\" y='2'><?pi data?>" +
        "<![CDATA[<not> &a; tag]]></a><!-- bye -->",
    );
    expect(root).toEqual({ name: "a", children: ["<not> &a; tag"] });
  });

  it("refuses a DOCTYPE, so no entity can ever be declared (billion laughs)", () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
      '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>' +
      "<methodCall><methodName>&lol3;</methodName></methodCall>";
    refuses(laughs, /DOCTYPE/);
    refuses('<!DOCTYPE x SYSTEM "file:///etc/passwd"><x>&xxe;</x>', /DOCTYPE/);
    refuses('<x><!ENTITY e "boom"></x>', /DOCTYPE|entity/i);
  });

  it("refuses every entity but the five predefined, inherited names included", () => {
    refuses("<x>&xxe;</x>", /unknown entity &xxe;/);
    refuses("<x>&constructor;</x>", /unknown entity/);
    refuses("<x>&__proto__;</x>", /unknown entity/);
    refuses("<x>fish & chips</x>", /&/);
    refuses("<x>&#0;</x>", /not a character/);
    refuses("<x>&#xD800;</x>", /not a character/);
  });

  it("refuses nesting deeper than the limit, before it costs anything", () => {
    const deep = (n: number) => "<a>".repeat(n) + "</a>".repeat(n);
    expect(() => parseXml(deep(10), { maxDepth: 10 })).not.toThrow();
    refuses(deep(11), /deeper than 10/, { maxDepth: 10 });
    refuses(deep(100_000), /deeper than/);
  });

  it("refuses documents that are not well-formed", () => {
    refuses("", /no root/);
    refuses("<a><b></a></b>", /closes <b>/);
    refuses("<a>", /never closed/);
    refuses("<a></a><b></b>", /one root/);
    refuses("text<a/>", /outside the root/);
    refuses("<a x=1></a>", /attribute/);
    refuses('<a x="1" x="2"></a>', /twice/);
    refuses("<a><!-- open", /comment/);
    refuses("<1a/>", /element name/);
    refuses("<a>\u0001</a>", /U\+0001/);
  });

  // Seconds, not milliseconds, with a parser that rescans what it has read: npm test and
  // `npm run lesson 6 -- --full` run it.
  it("reads a large flat document in one pass", { tags: ["slow"] }, () => {
    const items = 20_000;
    const root = parseXml(`<list>${"<i>x &amp; y</i>".repeat(items)}</list>`);
    expect(root.children).toHaveLength(items);
    expect(text(root.children[items - 1] as XmlElement)).toBe("x & y");
  });
});

describe("given code (not a task): the XML declaration", () => {
  it("refuses encodings other than UTF-8", () => {
    refuses('<?xml version="1.0" encoding="ISO-8859-1"?><a/>', /ISO-8859-1/);
    expect(() => parseXml('<?xml version="1.0" encoding="utf-8"?><a/>')).not.toThrow();
  });
});
