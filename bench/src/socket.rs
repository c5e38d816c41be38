//! WebSocket clients: small buffers (tungstenite's defaults are 128 KiB per socket, far
//! too much for 15,000 of them), and source addresses spread over 127.0.0.2–9 because one
//! source address has only ~28,000 ephemeral ports.

use crate::client::Error;
use api::ws::{ClientFrame, RoomCursor, ServerFrame};
use futures_util::{SinkExt as _, StreamExt as _};
use std::net::{Ipv4Addr, SocketAddr};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::{
    WebSocketStream, client_async_with_config,
    tungstenite::{Message, protocol::WebSocketConfig},
};

pub type Ws = WebSocketStream<TcpStream>;

fn config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .max_write_buffer_size(64 * 1024)
}

/// TCP connection number `index` to `server` (host:port), from source 127.0.0.(2 + index % 8).
async fn tcp(
    server: SocketAddr,
    index: usize,
    recv_buffer: Option<u32>,
) -> Result<TcpStream, Error> {
    let socket = TcpSocket::new_v4()?;
    let source = Ipv4Addr::new(127, 0, 0, 2 + (index % 8) as u8);
    socket.bind(SocketAddr::from((source, 0)))?;
    if let Some(size) = recv_buffer {
        socket.set_recv_buffer_size(size)?;
    }
    Ok(socket.connect(server).await?)
}

/// Opens Teahouse socket number `index` to `server`.
pub async fn connect(
    server: SocketAddr,
    index: usize,
    recv_buffer: Option<u32>,
) -> Result<Ws, Error> {
    let stream = tcp(server, index, recv_buffer).await?;
    let url = format!("ws://{server}/api/v1/ws");
    let (ws, _) = client_async_with_config(url, stream, Some(config())).await?;
    Ok(ws)
}

/// Sends `auth` and waits for `ready`.
pub async fn authenticate(ws: &mut Ws, token: &str, cursors: Vec<RoomCursor>) -> Result<(), Error> {
    let frame = serde_json::to_string(&ClientFrame::Auth {
        token: token.into(),
        cursors,
    })?;
    ws.send(Message::text(frame)).await?;
    while let Some(msg) = ws.next().await {
        if let Message::Text(text) = msg? {
            match serde_json::from_str::<ServerFrame>(&text)? {
                ServerFrame::Ready { .. } => return Ok(()),
                ServerFrame::Error { message, .. } => return Err(message.into()),
                _ => {}
            }
        }
    }
    Err("socket closed before ready".into())
}

/// Opens socket number `index` to a socket.io server (engine.io v4 over WebSocket only),
/// completes its handshake and joins room `post`: the peer in the side-by-side comparison.
pub async fn connect_socketio(
    server: SocketAddr,
    index: usize,
    recv_buffer: Option<u32>,
    post: i64,
) -> Result<Ws, Error> {
    let stream = tcp(server, index, recv_buffer).await?;
    let url = format!("ws://{server}/socket.io/?EIO=4&transport=websocket");
    let (mut ws, _) = client_async_with_config(url, stream, Some(config())).await?;
    // engine.io "open", then the socket.io namespace connect, then our join.
    expect_prefix(&mut ws, "0{").await?;
    ws.send(Message::text("40")).await?;
    expect_prefix(&mut ws, "40").await?;
    ws.send(Message::text(format!(r#"42["join",{post}]"#)))
        .await?;
    expect_prefix(&mut ws, r#"42["joined""#).await?;
    Ok(ws)
}

async fn expect_prefix(ws: &mut Ws, prefix: &str) -> Result<(), Error> {
    while let Some(msg) = ws.next().await {
        if let Message::Text(text) = msg? {
            if text.starts_with(prefix) {
                return Ok(());
            }
            if text.as_str() == "2" {
                ws.send(Message::text("3")).await?;
            }
        }
    }
    Err(format!("socket closed before {prefix:?}").into())
}
