// Slack incoming-webhook payloads as messages (server/services/integrations/slack.ts), from the
// formats real notifiers document.
import { describe, expect, it } from "vitest";
import { MAX_BODY_CHARS } from "../../server/protocol/index.ts";
import { hookMessage, mrkdwnToMarkdown } from "../../server/services/integrations/slack.ts";

describe("Slack mrkdwn", () => {
  it("turns links, bold, strike and broadcasts into Markdown, and leaves code alone", () => {
    expect(mrkdwnToMarkdown("Deploy *finished* in <https://ci.example/run/7|run 7>")).toBe(
      "Deploy **finished** in [run 7](https://ci.example/run/7)",
    );
    expect(mrkdwnToMarkdown("~old~ new, see <https://x.example> <!here>")).toBe("~~old~~ new, see https://x.example @here");
    expect(mrkdwnToMarkdown("<!channel> tests: `a *b* <c>` and ```\n*raw* &lt;x&gt;\n```")).toBe(
      "@room tests: `a *b* <c>` and ```\n*raw* <x>\n```",
    );
    // escapes are undone after links are read: &lt; is a literal "<", never a link
    expect(mrkdwnToMarkdown("5 &lt; 6 &amp;&amp; 7 &gt; 3")).toBe("5 < 6 && 7 > 3");
    // no javascript: links, whatever the label
    expect(mrkdwnToMarkdown("<javascript:alert(1)|click>")).toBe("click");
    // a multiplication is not bold
    expect(mrkdwnToMarkdown("2*3*4 = 24")).toBe("2*3*4 = 24");
  });
});

describe("incoming webhook payloads", () => {
  it("a plain { text } is the message; nothing to say is null", () => {
    expect(hookMessage({ text: "Deploy *finished*" })).toEqual({ body: "Deploy **finished**" });
    expect(hookMessage({ text: "   " })).toBeNull();
    expect(hookMessage([])).toBeNull();
    expect(hookMessage("text")).toBeNull();
  });

  it("username and icon_url are kept as how the message is shown; only http(s) pictures", () => {
    expect(hookMessage({ text: "hi", username: "Grafana", icon_url: "https://g.example/i.png" })).toEqual({
      body: "hi",
      via: { name: "Grafana", iconUrl: "https://g.example/i.png" },
    });
    expect(hookMessage({ text: "hi", username: "x", icon_url: "javascript:alert(1)" })?.via).toEqual({
      name: "x",
      iconUrl: null,
    });
  });

  it("Prometheus Alertmanager's default Slack notification (attachments)", () => {
    // what alertmanager's slack_config sends with its default templates
    const payload = {
      channel: "#alerts",
      username: "Alertmanager",
      attachments: [
        {
          title: "[FIRING:1] InstanceDown (node 10.0.0.5:9100 critical)",
          title_link: "http://alertmanager.example:9093/#/alerts?receiver=team",
          pretext: "",
          text: "*Alert:* Instance 10.0.0.5:9100 down - `critical`\n*Description:* It has been down for more than 5 minutes.",
          fallback: "[FIRING:1] InstanceDown | http://alertmanager.example:9093",
          callback_id: "",
          footer: "",
          color: "danger",
          mrkdwn_in: ["fallback", "pretext", "text"],
        },
      ],
    };
    expect(hookMessage(payload)).toEqual({
      body: [
        "**[[FIRING:1] InstanceDown (node 10.0.0.5:9100 critical)](http://alertmanager.example:9093/#/alerts?receiver=team)**",
        "**Alert:** Instance 10.0.0.5:9100 down - `critical`\n**Description:** It has been down for more than 5 minutes.",
      ].join("\n"),
      via: { name: "Alertmanager", iconUrl: null },
    });
  });

  it("Block Kit messages (header, section with fields, context, divider) become readable text", () => {
    const payload = {
      blocks: [
        { type: "header", text: { type: "plain_text", text: "Release 2.4 is out" } },
        {
          type: "section",
          text: { type: "mrkdwn", text: "Built from <https://git.example/c/abc|abc123> by *ana*" },
          fields: [
            { type: "mrkdwn", text: "*Status:*\nPassed" },
            { type: "plain_text", text: "Took 4*5 min" },
          ],
        },
        { type: "divider" },
        {
          type: "context",
          elements: [
            { type: "image", image_url: "https://x/i.png", alt_text: "CI" },
            { type: "mrkdwn", text: "via CI" },
          ],
        },
        { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open" } }] },
      ],
    };
    expect(hookMessage(payload)?.body).toBe(
      [
        "**Release 2.4 is out**",
        "Built from [abc123](https://git.example/c/abc) by **ana**",
        "**Status:**\nPassed\nTook 4\\*5 min",
        "---",
        "CI · via CI",
      ].join("\n\n"),
    );
    // with text, the blocks are its richer copy: the text is the message
    expect(hookMessage({ text: "Release 2.4", blocks: payload.blocks })?.body).toBe("Release 2.4");
  });

  it("an attachment with only a fallback, fields with titles, and a body past the limit cut to fit", () => {
    expect(hookMessage({ attachments: [{ fallback: "Build failed" }] })?.body).toBe("Build failed");
    expect(hookMessage({ attachments: [{ fields: [{ title: "Branch", value: "main", short: true }] }] })?.body).toBe(
      "**Branch**: main",
    );
    const long = hookMessage({ text: "y".repeat(MAX_BODY_CHARS + 50) })?.body ?? "";
    expect(long).toHaveLength(MAX_BODY_CHARS);
    expect(long.endsWith("…")).toBe(true);
  });
});
