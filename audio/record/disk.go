package record

import (
	"sync"
	"sync/atomic"
	"time"
)

// disk writes the file from a goroutine of its own, fed through a ring:
// a slow fsync (seconds, on a busy disk) must not hold up the writer
// goroutine, or the capture queues overflow and the device looks
// unplugged. The writer goroutine pushes interleaved frames; disk writes
// them every diskEvery (fewer, larger writes: measured, a write per 20 ms
// tick cost a tenth of the recorder's CPU) and syncs every syncEvery. When
// the ring is full (the disk is diskBuffer behind) push waits.
type disk struct {
	w         FileWriter
	ring      *Ring
	syncEvery time.Duration
	wake      chan struct{}
	stop      chan struct{}
	done      chan struct{}
	err       atomic.Pointer[error]
	buf       []float32
	closeOnce sync.Once
}

// diskBuffer is how far the disk may fall behind the capture; diskEvery
// is how often queued audio is written (it is in the file, though not yet
// described by the header, within this time).
const (
	diskBuffer = 30 * time.Second
	diskEvery  = 250 * time.Millisecond
)

func newDisk(w FileWriter, rate int, syncEvery time.Duration) *disk {
	d := &disk{
		w: w, ring: NewRing(rate*int(diskBuffer/time.Second), 2), syncEvery: syncEvery,
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
		buf: make([]float32, 16384),
	}
	go d.loop()
	return d
}

// push queues interleaved stereo frames (writer goroutine only). It
// returns the disk's error once there is one.
func (d *disk) push(p []float32) error {
	for !d.ring.Write(p, 0) {
		if err := d.failed(); err != nil {
			return err
		}
		d.kick()
		time.Sleep(5 * time.Millisecond)
	}
	if d.ring.Len() > len(d.ring.buf)/2 {
		d.kick()
	}
	return d.failed()
}

func (d *disk) kick() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *disk) failed() error {
	if e := d.err.Load(); e != nil {
		return *e
	}
	return nil
}

func (d *disk) loop() {
	defer close(d.done)
	// One ticker does both, the sync every few writes: each timer that
	// fires wakes a thread, and on an idle machine the wake-ups, not the
	// writing, are most of the recorder's cost.
	every := min(diskEvery, d.syncEvery)
	tick := time.NewTicker(every)
	defer tick.Stop()
	lastSync := time.Now()
	for {
		select {
		case <-d.wake:
			d.drain()
		case now := <-tick.C:
			d.drain()
			if now.Sub(lastSync) < d.syncEvery-every/2 {
				continue
			}
			lastSync = now
			if d.failed() == nil {
				if err := d.w.Sync(); err != nil {
					d.err.Store(&err)
				}
			}
		case <-d.stop:
			d.drain()
			return
		}
	}
}

func (d *disk) drain() {
	for d.failed() == nil {
		n := d.ring.Read(d.buf)
		if n == 0 {
			return
		}
		if err := d.w.WriteFrames(d.buf[:n]); err != nil {
			d.err.Store(&err)
			return
		}
	}
}

// close writes what is queued and closes the file; it returns the first
// error of the disk, or Close's.
func (d *disk) close() error {
	var err error
	d.closeOnce.Do(func() {
		close(d.stop)
		<-d.done
		err = d.failed()
		if cerr := d.w.Close(); err == nil {
			err = cerr
		}
	})
	return err
}
