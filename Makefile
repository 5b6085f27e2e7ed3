# The two commands of the quick start: `make demo` and `make test`. Both install what is missing first.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build demo test samples clean format

all: build

deps:
	@scripts/install-deps.sh all

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

samples: deps
	@scripts/make-sample-audio.sh samples/audio

demo: build samples
	@scripts/demo.sh $(BUILD)

test: build samples
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

format:
	find credits validators tagging ddex cli tests bench fuzz -name '*.[ch]pp' 2>/dev/null | xargs clang-format -i

clean:
	rm -rf $(BUILD)
