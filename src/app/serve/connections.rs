//! The open connections of `serve`, so that slow clients cannot crowd out the rest.
//!
//! A connection is either still sending its request head, or being answered. Both kinds are
//! bounded in time (see `http.rs`), but a client that opens hundreds of connections and
//! trickles a byte into each could still hold every place. So connections are capped in all
//! and per client address, and when a cap is reached the oldest connection still sending its
//! head is closed to make room: a client that sends its request at once always gets in, and
//! only a connection that has been slow longest is lost. Admitting never waits on a client,
//! so the accept loop cannot be held up either.

use std::collections::BTreeMap;
use std::net::{IpAddr, Shutdown, TcpStream};
use std::sync::{Arc, Mutex};

/// What the registry can do to a connection it evicts: close it, which ends the blocked read
/// of the thread that serves it.
pub trait Close: Send {
    /// Closes the connection for both reading and writing.
    fn close(&self);
}

impl Close for TcpStream {
    fn close(&self) {
        let _ = self.shutdown(Shutdown::Both);
    }
}

/// The caps: connections in all, and from one client address.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    pub total: usize,
    pub per_client: usize,
}

struct Entry<C> {
    client: IpAddr,
    /// Still sending its head: may be evicted.
    in_head: bool,
    closer: C,
}

/// The registry of open connections, shared by the accept loop and the connection threads.
pub struct Connections<C: Close> {
    caps: Caps,
    state: Mutex<State<C>>,
}

struct State<C> {
    next: u64,
    /// By id, which grows with time: the first entry is the oldest.
    open: BTreeMap<u64, Entry<C>>,
}

/// One admitted connection; dropping it (when its thread ends) gives its place back.
pub struct Ticket<C: Close> {
    registry: Arc<Connections<C>>,
    id: u64,
}

impl<C: Close> Connections<C> {
    /// An empty registry with these caps.
    pub fn new(caps: Caps) -> Arc<Connections<C>> {
        Arc::new(Connections { caps, state: Mutex::new(State { next: 0, open: BTreeMap::new() }) })
    }

    /// Admits a new connection from `client`, evicting the oldest connections still sending
    /// their heads when a cap is reached; `None` when every place is taken by a connection
    /// being answered (each of those ends within the response deadline).
    pub fn admit(self: &Arc<Self>, client: IpAddr, closer: C) -> Option<Ticket<C>> {
        let mut state = self.lock();
        if state.open.values().filter(|e| e.client == client).count() >= self.caps.per_client && !state.evict(|e| e.client == client) {
            return None;
        }
        if state.open.len() >= self.caps.total && !state.evict(|_| true) {
            return None;
        }
        let id = state.next;
        state.next += 1;
        state.open.insert(id, Entry { client, in_head: true, closer });
        Some(Ticket { registry: self.clone(), id })
    }

    /// Connections open now.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().open.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State<C>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<C: Close> State<C> {
    /// Closes and forgets the oldest connection still in its head that `which` picks.
    fn evict(&mut self, which: impl Fn(&Entry<C>) -> bool) -> bool {
        let Some(id) = self.open.iter().find(|(_, e)| e.in_head && which(e)).map(|(id, _)| *id) else { return false };
        if let Some(entry) = self.open.remove(&id) {
            entry.closer.close();
        }
        true
    }
}

impl<C: Close> Ticket<C> {
    /// The head has arrived: from now on the connection is being answered and keeps its place.
    /// `false` when it was evicted meanwhile (its socket is closed; give up).
    pub fn answering(&self) -> bool {
        match self.registry.lock().open.get_mut(&self.id) {
            Some(entry) => {
                entry.in_head = false;
                true
            }
            None => false,
        }
    }
}

impl<C: Close> Drop for Ticket<C> {
    fn drop(&mut self) {
        self.registry.lock().open.remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// A stand-in connection that records being closed.
    #[derive(Clone, Default)]
    struct Fake(Arc<AtomicBool>);

    impl Close for Fake {
        fn close(&self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    impl Fake {
        fn closed(&self) -> bool {
            self.0.load(Ordering::SeqCst)
        }
    }

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, last])
    }

    #[test]
    fn a_full_client_loses_its_oldest_slow_connection() {
        let registry = Connections::new(Caps { total: 10, per_client: 3 });
        let fakes: Vec<Fake> = (0..3).map(|_| Fake::default()).collect();
        let tickets: Vec<_> = fakes.iter().map(|f| registry.admit(ip(1), f.clone()).unwrap()).collect();
        assert!(tickets[0].answering(), "the first one is being answered: it keeps its place");
        let newcomer = registry.admit(ip(1), Fake::default()).expect("room is made");
        assert_eq!((fakes[0].closed(), fakes[1].closed(), fakes[2].closed()), (false, true, false));
        assert!(!tickets[1].answering(), "the evicted one learns it was closed");
        assert_eq!(registry.len(), 3);
        // Another client is not touched by this client's cap.
        let other = Fake::default();
        let _other = registry.admit(ip(2), other.clone()).unwrap();
        assert!(!other.closed());
        drop((tickets, newcomer));
        assert_eq!(registry.len(), 1, "places are given back");
    }

    #[test]
    fn the_total_cap_evicts_the_oldest_slow_connection_of_anyone() {
        let registry = Connections::new(Caps { total: 3, per_client: 3 });
        let fakes: Vec<Fake> = (0..3).map(|_| Fake::default()).collect();
        let tickets: Vec<_> = fakes.iter().enumerate().map(|(i, f)| registry.admit(ip(i as u8), f.clone()).unwrap()).collect();
        let _new = registry.admit(ip(9), Fake::default()).unwrap();
        assert!(fakes[0].closed() && !fakes[1].closed());
        assert_eq!(registry.len(), 3);
        drop(tickets);
    }

    #[test]
    fn connections_being_answered_are_never_evicted() {
        let registry = Connections::new(Caps { total: 2, per_client: 2 });
        let fakes: Vec<Fake> = (0..2).map(|_| Fake::default()).collect();
        let tickets: Vec<_> = fakes.iter().map(|f| registry.admit(ip(1), f.clone()).unwrap()).collect();
        assert!(tickets.iter().all(Ticket::answering));
        assert!(registry.admit(ip(1), Fake::default()).is_none());
        assert!(registry.admit(ip(2), Fake::default()).is_none());
        assert!(fakes.iter().all(|f| !f.closed()));
    }
}
