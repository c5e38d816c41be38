// A socket.io room server for the side-by-side comparison in docs/BENCHMARKS.md.
//
// It does what a typical socket.io chat server does and nothing more: clients connect with
// socket.io and join a room; a message POSTed to the same route Teahouse uses
// (`POST /api/v1/posts/{post}/messages`) is numbered per room and emitted to the room with
// `io.to(room).emit(...)` (socket.io encodes a broadcast once for all recipients). The frame
// has Teahouse's shape so `teahouse-bench` reads both servers the same way. Nothing is
// stored, nothing is authenticated: a lower bound on what a socket.io server costs.
//
//   PORT=8092 node server.js
"use strict";

const http = require("node:http");
const { Server } = require("socket.io");

const port = Number(process.env.PORT || 8092);
const seqs = new Map();
let nextId = 1;

const server = http.createServer((req, res) => {
  const send = (status, body) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (req.method === "GET" && req.url === "/api/v1/health") {
    return send(200, { status: "ok" });
  }
  const match = req.method === "POST" && /^\/api\/v1\/posts\/(\d+)\/messages$/.exec(req.url);
  if (!match) {
    return send(404, { code: "route_not_found" });
  }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let input;
    try {
      input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return send(400, { code: "malformed_json" });
    }
    const post = Number(match[1]);
    const seq = (seqs.get(post) || 0) + 1;
    seqs.set(post, seq);
    const message = {
      id: nextId++,
      room_id: post,
      post_id: post,
      kind: "text",
      author: { id: 1, username: "peer", display_name: null },
      body: String(input.body),
      client_id: input.client_id || null,
      created_at: new Date().toISOString(),
      recall: null,
    };
    io.to(`p${post}`).emit("event", {
      type: "event",
      room_id: post,
      seq,
      event: { kind: "message_created", message },
    });
    send(201, message);
  });
});

const io = new Server(server, { transports: ["websocket"], serveClient: false });
io.on("connection", (socket) => {
  socket.on("join", (post) => {
    socket.join(`p${Number(post)}`);
    socket.emit("joined", Number(post));
  });
});

server.listen(port, "127.0.0.1", 4096, () => {
  console.log(`socket.io peer listening on http://127.0.0.1:${port}`);
});
