# CallCoach: `make run` sets everything up and opens the app; `make test`
# sets everything up and runs every test. Both work on a fresh Debian 12
# machine (as root, or a user with sudo) with Go 1.24 or newer on PATH.

SHELL := /bin/bash
GO ?= go
BIN := bin/callcoach

# Debian packages: the C toolchain and headers Fyne (OpenGL, X11) and
# PortAudio build against, the ALSA plugin that reaches PulseAudio/PipeWire,
# and the tools the tests drive: a PulseAudio server with null sinks, Xvfb,
# espeak-ng and sox for speech, ImageMagick for screenshots, xdotool for
# the real window's keystrokes; Praat,
# Chromium and poppler-utils open the exports and reports the way a coach's
# tools would. PipeWire, its PulseAudio server and WirePlumber (with a
# private D-Bus daemon, which WirePlumber needs) run the real-device tests a
# second time, as most desktops now have them (audio/device TestPipeWire).
APT_PACKAGES := gcc pkg-config libgl1-mesa-dev xorg-dev portaudio19-dev \
	libasound2-plugins pulseaudio pulseaudio-utils xvfb x11-utils espeak-ng sox \
	imagemagick xdotool praat chromium poppler-utils \
	pipewire pipewire-pulse wireplumber dbus-daemon

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test deps apt gomod build bench fmt vet clean

run: deps build
	./$(BIN)

build:
	$(GO) build -o $(BIN) ./cmd/callcoach

deps: apt gomod

apt:
	@missing=$$(for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@command -v $(GO) >/dev/null || { echo "Go is not installed: install Go 1.24 or newer (https://go.dev/dl) and run make again." >&2; exit 1; }

gomod:
	$(GO) mod download

test: deps
	@bad=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$bad" ]; then echo "gofmt would change:" $$bad >&2; exit 1; fi
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 60m ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin
