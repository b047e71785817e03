// A small but real SMTP server for the tests: the fridhem server sends its
// mail here over plain SMTP (FRIDHEM_SMTP_URL=smtp://127.0.0.1:PORT), and
// every message it accepts is written as a file into a directory, so that
// the test processes (not only the one that runs the sink) can read it.
//
// Per message, two files named by a sequence number: NNNNNN.eml (the
// message exactly as received, dot-stuffing undone) and NNNNNN.json (the
// envelope: MAIL FROM, the RCPT TO recipients, the .eml's name). The .json
// is written last and each file appears by rename, so a reader that lists
// the .json files sees only complete messages. The sink answers 250 to the
// final "." only once both files are written.
//
// No TLS, no AUTH: for 127.0.0.1 only.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const HOSTNAME = 'fridhem-e2e-sink';

/** Writes a file so that readers never see it half-written. */
function writeAtomically(file, data) {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  fs.writeFileSync(temp, data);
  fs.renameSync(temp, file);
}

/** The address in `FROM:<a@b>` / `TO:<a@b> PARAM=...`, or null if malformed. */
function pathArgument(args, keyword) {
  const m = new RegExp(`^${keyword}:\\s*<([^<>]*)>(?:\\s+(.*))?$`, 'i').exec(args.trim());
  return m ? { address: m[1], params: m[2] || '' } : null;
}

/**
 * Starts the sink on 127.0.0.1 (a free port unless `port` is given).
 * Messages go to `dir` (a new temp dir by default, removed by close()
 * unless FRIDHEM_E2E_KEEP_TMP is set or `dir` was given).
 * Resolves to { port, url, dir, messages, close }; `messages` is the
 * in-memory list of { from, to, raw, file } in arrival order.
 */
export async function startSmtpSink({ port = 0, dir } = {}) {
  const ownDir = !dir;
  const mailbox = dir || fs.mkdtempSync(path.join(os.tmpdir(), 'fridhem-e2e-mail-'));
  fs.mkdirSync(mailbox, { recursive: true });
  const messages = [];
  const sockets = new Set();
  let seq = 0;

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.setTimeout(60_000, () => socket.destroy());

    let buffered = '';
    let queue = Promise.resolve();
    let closed = false;
    let greeted = false;
    let from = null;
    let recipients = [];
    /** Lines of the message while in DATA mode, else null. */
    let dataLines = null;

    const reply = (text) => {
      if (!closed) socket.write(`${text}\r\n`);
    };
    const reset = () => {
      from = null;
      recipients = [];
      dataLines = null;
    };

    const finishMessage = () => {
      // Undo dot-stuffing (RFC 5321 4.5.2): a leading "." was doubled.
      const lines = dataLines.map((l) => (l.startsWith('.') ? l.slice(1) : l));
      const raw = lines.length ? `${lines.join('\r\n')}\r\n` : '';
      seq += 1;
      const name = String(seq).padStart(6, '0');
      const emlFile = path.join(mailbox, `${name}.eml`);
      // latin1 maps each byte to one char and back: 8-bit bodies survive.
      writeAtomically(emlFile, Buffer.from(raw, 'latin1'));
      const envelope = { from, to: recipients, file: `${name}.eml`, receivedAt: new Date().toISOString() };
      writeAtomically(path.join(mailbox, `${name}.json`), `${JSON.stringify(envelope, null, 2)}\n`);
      messages.push({ from, to: recipients, raw, file: emlFile });
      reset();
      return name;
    };

    const handle = (line) => {
      if (dataLines) {
        if (line === '.') {
          const name = finishMessage();
          reply(`250 2.0.0 Ok: queued as ${name}`);
        } else {
          dataLines.push(line);
        }
        return;
      }
      const m = /^([A-Za-z]+)(?:\s+(.*))?$/.exec(line);
      if (!m) {
        reply('500 5.5.2 Syntax error, command unrecognized');
        return;
      }
      const verb = m[1].toUpperCase();
      const args = m[2] || '';
      switch (verb) {
        case 'EHLO':
          if (!args.trim()) return reply('501 5.5.4 EHLO needs a domain or address');
          greeted = true;
          reset();
          socket.write(`250-${HOSTNAME} greets ${args.trim()}\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 ENHANCEDSTATUSCODES\r\n`);
          return;
        case 'HELO':
          if (!args.trim()) return reply('501 5.5.4 HELO needs a domain or address');
          greeted = true;
          reset();
          return reply(`250 ${HOSTNAME}`);
        case 'MAIL': {
          if (!greeted) return reply('503 5.5.1 Send EHLO or HELO first');
          if (from !== null) return reply('503 5.5.1 Nested MAIL command');
          const a = pathArgument(args, 'FROM');
          if (!a) return reply('501 5.5.4 Syntax: MAIL FROM:<address>');
          from = a.address;
          recipients = [];
          return reply('250 2.1.0 Ok');
        }
        case 'RCPT': {
          if (from === null) return reply('503 5.5.1 Need MAIL before RCPT');
          const a = pathArgument(args, 'TO');
          if (!a || !a.address) return reply('501 5.5.4 Syntax: RCPT TO:<address>');
          recipients.push(a.address);
          return reply('250 2.1.5 Ok');
        }
        case 'DATA':
          if (args.trim()) return reply('501 5.5.4 DATA takes no arguments');
          if (from === null) return reply('503 5.5.1 Need MAIL command');
          if (!recipients.length) return reply('503 5.5.1 Need RCPT command');
          dataLines = [];
          return reply('354 End data with <CR><LF>.<CR><LF>');
        case 'RSET':
          reset();
          return reply('250 2.0.0 Ok');
        case 'NOOP':
          return reply('250 2.0.0 Ok');
        case 'VRFY':
          return reply('252 2.5.0 Cannot VRFY user, but will accept message');
        case 'HELP':
          return reply('214 2.0.0 EHLO HELO MAIL RCPT DATA RSET NOOP QUIT');
        case 'QUIT':
          reply('221 2.0.0 Bye');
          closed = true;
          socket.end();
          return;
        default:
          return reply('502 5.5.2 Command not implemented');
      }
    };

    const drain = () => {
      let i;
      while (!closed && (i = buffered.indexOf('\n')) >= 0) {
        let line = buffered.slice(0, i);
        buffered = buffered.slice(i + 1);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        handle(line);
      }
    };

    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      queue = queue.then(drain).catch((err) => {
        reply('451 4.3.0 Local error in processing');
        console.error(`smtp-sink: ${err.stack || err}`);
        socket.destroy();
      });
    });
    socket.write(`220 ${HOSTNAME} ESMTP ready\r\n`);
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = server.address().port;

  const close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(() => resolve()));
    if (ownDir && !process.env.FRIDHEM_E2E_KEEP_TMP) fs.rmSync(mailbox, { recursive: true, force: true });
  };

  return { port: actualPort, url: `smtp://127.0.0.1:${actualPort}`, dir: mailbox, messages, close };
}

// --- reading and decoding ------------------------------------------------------

/** Splits a raw message into its unfolded headers and its body. */
function splitMessage(raw) {
  const m = /\r?\n\r?\n/.exec(raw);
  const head = m ? raw.slice(0, m.index) : raw;
  const body = m ? raw.slice(m.index + m[0].length) : '';
  const headers = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headers.length) {
      headers[headers.length - 1][1] += line;
    } else {
      const colon = line.indexOf(':');
      if (colon > 0) headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
    }
  }
  return { headers, body };
}

function header(headers, name) {
  const found = headers.find(([n]) => n === name);
  return found ? found[1] : undefined;
}

/** A parameter of a structured header (`charset`, `boundary`). */
function headerParam(value, name) {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value || '');
  return m ? (m[1] ?? m[2]) : undefined;
}

function decodeBytes(bytes, charset = 'utf-8') {
  try {
    return new TextDecoder(charset.toLowerCase(), { fatal: false }).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** Bytes of a quoted-printable text (RFC 2045 6.7), soft line breaks removed. */
function quotedPrintableBytes(text) {
  const s = text.replace(/[ \t]+(?=\r?\n)/g, '').replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < s.length; i++) {
    const hex = s[i] === '=' ? s.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(s.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/**
 * Decodes RFC 2047 encoded words (=?charset?B|Q?...?=) in a header value.
 * Whitespace between adjacent encoded words is dropped, and the bytes of
 * adjacent words in the same charset are joined before decoding (a
 * character may be split across two words).
 */
export function decodeHeader(value) {
  if (value === undefined) return undefined;
  const word = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;
  const parts = [];
  let last = 0;
  let m;
  while ((m = word.exec(value))) {
    const between = value.slice(last, m.index);
    const previous = parts[parts.length - 1];
    if (!(previous?.encoded && /^\s*$/.test(between))) {
      if (between) parts.push({ text: between });
    }
    const charset = m[1].split('*')[0];
    const bytes = m[2].toUpperCase() === 'B'
      ? Buffer.from(m[3], 'base64')
      : quotedPrintableBytes(m[3].replace(/_/g, ' '));
    const prev = parts[parts.length - 1];
    if (prev?.encoded && prev.charset.toLowerCase() === charset.toLowerCase()) {
      prev.bytes = Buffer.concat([prev.bytes, bytes]);
    } else {
      parts.push({ encoded: true, charset, bytes });
    }
    last = word.lastIndex;
  }
  if (last < value.length) parts.push({ text: value.slice(last) });
  return parts.map((p) => (p.encoded ? decodeBytes(p.bytes, p.charset) : p.text)).join('');
}

/** The text of a MIME entity: transfer encoding and charset undone; for a multipart, its first text/plain part. */
function entityText(headers, body) {
  const type = header(headers, 'content-type') || 'text/plain; charset=us-ascii';
  if (/^\s*multipart\//i.test(type)) {
    const boundary = headerParam(type, 'boundary');
    if (!boundary) return body;
    const escaped = boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pieces = body.split(new RegExp(`^--${escaped}(?:--)?[ \\t]*\\r?$\\n?`, 'm')).slice(1, -1);
    const entities = pieces.map((p) => splitMessage(p));
    const plain = entities.find((e) => /^\s*text\/plain/i.test(header(e.headers, 'content-type') || 'text/plain'))
      || entities[0];
    return plain ? entityText(plain.headers, plain.body) : '';
  }
  const encoding = (header(headers, 'content-transfer-encoding') || '7bit').trim().toLowerCase();
  let bytes;
  if (encoding === 'base64') {
    bytes = Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  } else if (encoding === 'quoted-printable') {
    bytes = quotedPrintableBytes(body);
  } else {
    bytes = Buffer.from(body, 'latin1');
  }
  const charset = headerParam(type, 'charset') || 'utf-8';
  // us-ascii bodies are a subset of UTF-8; read them as UTF-8 so that a
  // mislabelled 8-bit body still comes out readable.
  const text = decodeBytes(bytes, /^us-ascii$/i.test(charset) ? 'utf-8' : charset);
  return text.replace(/\r\n/g, '\n');
}

/**
 * The text/calendar part of a multipart message as { type (its Content-Type
 * header), text (decoded) }, or undefined when it has none.
 */
export function calendarPart(raw) {
  const { headers, body } = splitMessage(raw);
  const type = header(headers, 'content-type') || '';
  const boundary = headerParam(type, 'boundary');
  if (!/^\s*multipart\//i.test(type) || !boundary) return undefined;
  const escaped = boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pieces = body.split(new RegExp(`^--${escaped}(?:--)?[ \\t]*\\r?$\\n?`, 'm')).slice(1, -1);
  const part = pieces.map((p) => splitMessage(p))
    .find((e) => /^\s*text\/calendar/i.test(header(e.headers, 'content-type') || ''));
  return part && { type: header(part.headers, 'content-type'), text: entityText(part.headers, part.body) };
}

/** Decodes one raw message (as the sink stored it). */
export function decodeMessage(raw) {
  const { headers, body } = splitMessage(raw);
  return {
    subject: decodeHeader(header(headers, 'subject')),
    headerFrom: decodeHeader(header(headers, 'from')),
    headerTo: decodeHeader(header(headers, 'to')),
    headers,
    body: entityText(headers, body),
  };
}

/**
 * Every complete message in a sink's directory, oldest first:
 * { to (envelope recipients), from (envelope sender), subject (decoded),
 *   body (decoded text, "\n" line ends), headers, raw, file }.
 */
export function readMessages(dir) {
  let names;
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if (err.code === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter((n) => /^\d+\.json$/.test(n))
    .sort()
    .map((n) => {
      const envelope = JSON.parse(fs.readFileSync(path.join(dir, n), 'utf8'));
      const file = path.join(dir, envelope.file);
      const raw = fs.readFileSync(file).toString('latin1');
      return { ...decodeMessage(raw), to: envelope.to, from: envelope.from, raw, file };
    });
}

/**
 * Polls `dir` until a message matching `predicate` has arrived; resolves
 * to it, or rejects after `timeoutMs` saying what did arrive.
 */
export async function waitForMessage(dir, predicate, { timeoutMs = 20_000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readMessages(dir).find(predicate);
    if (found) return found;
    if (Date.now() >= deadline) {
      const seen = readMessages(dir).map((m) => `  to ${m.to.join(', ')}: ${m.subject}`).join('\n') || '  (none)';
      throw new Error(`no matching message in ${dir} within ${timeoutMs} ms; the mailbox has:\n${seen}`);
    }
    await sleep(intervalMs);
  }
}
