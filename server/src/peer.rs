//! The address a connection came from, recorded for every request whatever
//! the listener (plain TCP or TLS), for the audit log and sign-in limits.

use std::net::SocketAddr;

use axum::{extract::connect_info::Connected, serve::IncomingStream};
use tokio::net::TcpListener;

use crate::tls::TlsListener;

/// The client's address of the connection a request arrived on.
#[derive(Debug, Clone, Copy)]
pub struct PeerAddress(pub SocketAddr);

impl Connected<IncomingStream<'_, TcpListener>> for PeerAddress {
    fn connect_info(stream: IncomingStream<'_, TcpListener>) -> Self {
        PeerAddress(*stream.remote_addr())
    }
}

impl Connected<IncomingStream<'_, TlsListener>> for PeerAddress {
    fn connect_info(stream: IncomingStream<'_, TlsListener>) -> Self {
        PeerAddress(*stream.remote_addr())
    }
}
