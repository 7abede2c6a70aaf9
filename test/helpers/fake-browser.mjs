#!/usr/bin/env node
// A stand-in for a person's browser in the interactive-browser sign-in test: `open` runs it through
// xdg-open's $BROWSER with the authorize URL. It follows redirects and the waiting page's
// meta refresh (trusting the server's CA from ORBITRA_TEST_BROWSER_CA) until it lands on the
// client's loopback redirect URI, which it visits once, as a browser would: by GET after a
// redirect, or by submitting the page's auto-posting form (response_mode=form_post).
import { readFileSync } from "node:fs";
import { get as httpGet, request as httpRequest } from "node:http";
import { get as httpsGet } from "node:https";
import process from "node:process";
import { setTimeout as sleep } from "node:timers/promises";
import { URL, URLSearchParams } from "node:url";

const ca = readFileSync(process.env.ORBITRA_TEST_BROWSER_CA ?? "/dev/null");

function visit(url) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const request = u.protocol === "https:" ? httpsGet(u, { ca }, done) : httpGet(u, done);
    request.on("error", reject);
    function done(response) {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode, location: response.headers.location, body }));
    }
  });
}

function post(url, form) {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams(form).toString();
    const request = httpRequest(new URL(url), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" } }, (response) => {
      response.resume();
      response.on("end", resolve);
    });
    request.on("error", reject);
    request.end(body);
  });
}

const unescape = (text) => text.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));

let url = process.argv[2];
for (let step = 0; step < 600 && url; step++) {
  const page = await visit(url);
  if (!url.startsWith("https:")) break; // the client's loopback listener: signed in (or told why not)
  if (page.status >= 300 && page.status < 400 && page.location) {
    url = new URL(page.location, url).href;
    continue;
  }
  const form = /<form method="post" action="([^"]+)">(.*?)<\/form>/s.exec(page.body);
  if (form) {
    const fields = [...form[2].matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [unescape(m[1]), unescape(m[2])]);
    await post(unescape(form[1]), fields);
    break;
  }
  const refresh = /http-equiv="refresh" content="\d+;url=([^"]+)"/.exec(page.body);
  if (!refresh) break;
  await sleep(100);
  url = new URL(refresh[1].replace(/&#38;/g, "&"), url).href;
}
