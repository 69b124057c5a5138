package store

import (
	"context"
	"log"
	"sync"
	"time"
)

// Watch calls changed, from a goroutine of its own, soon after the
// library's database changes: a call added, changed or trashed by another
// process (the command line, a second window), or by this one through
// another connection. It polls SQLite's PRAGMA data_version on a
// connection of its own every interval (about a microsecond a poll: the
// value only moves when some other connection commits), so a screen can
// follow the library without a restart. Stop it with the returned func,
// which waits for a call in progress; Close stops it too.
func (l *Library) Watch(interval time.Duration, changed func()) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		conn, err := l.db.Conn(ctx)
		if err != nil {
			if ctx.Err() == nil {
				log.Printf("callcoach: watching the library: %v", err)
			}
			return
		}
		defer conn.Close()
		version := func() (int64, bool) {
			var v int64
			err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v)
			return v, err == nil
		}
		last, ok := version()
		if !ok {
			return
		}
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if v, ok := version(); ok && v != last {
				last = v
				changed()
			}
		}
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			<-done
		})
	}
	l.watchMu.Lock()
	l.watchers = append(l.watchers, stop)
	l.watchMu.Unlock()
	return stop
}

// stopWatchers ends the watches (Close).
func (l *Library) stopWatchers() {
	l.watchMu.Lock()
	ws := l.watchers
	l.watchers = nil
	l.watchMu.Unlock()
	for _, stop := range ws {
		stop()
	}
}
