# The testbed: hypervisor + memory modules, guests, host tests, analysis.
#   make            build everything (installs missing Debian packages first)
#   make run        GUEST=<image|name> MM=native|stage2 [APPEND=..] [MEM=<MiB>] [HYP=".."]
#   make debug      same variables; QEMU waits for gdb-multiarch
#   make test       host unit tests + a short fuzzing run + QEMU integration tests
#   make fuzz-host  the libFuzzer harnesses, FUZZ_TIME=<seconds> each (default 60)
#   make perf       the hypervisor cost figures (HYP instructions per event)
#   make ptx-seeds  the page-table exerciser over SEEDS seeds, every mode against native
#   make fuzz       both, longer: SEEDS=<n> (default 500) exerciser seeds, then fuzz-host
#   make verify     issue 6's figures into results/verification.md (SEEDS, FUZZ_TIME)

# The analysis and test harness run on Debian's Python (/usr/bin/python3), which has
# python3-matplotlib and python3-pytest from apt; the `python3` first on PATH may be a
# separate installation without them.
PYTHON := /usr/bin/python3
CROSS  := arm-none-eabi-
CC_T   := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
HOSTCC := gcc
BUILD  := build
# V=1 shows the full commands.
Q := $(if $(V),,@)

# Install what is missing before anything else (the script is a no-op when all is there).
ifneq ($(MAKECMDGOALS),clean)
DEPS_MISSING := $(shell scripts/install-deps.sh --check >/dev/null 2>&1 || echo yes)
ifeq ($(DEPS_MISSING),yes)
$(info Installing missing packages with scripts/install-deps.sh ...)
DEPS_RC := $(shell scripts/install-deps.sh >&2; echo $$?)
ifneq ($(DEPS_RC),0)
$(error scripts/install-deps.sh failed)
endif
endif
endif

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
TARGET_CFLAGS := -mcpu=cortex-a15 -marm -mfloat-abi=soft -mno-unaligned-access \
	-ffreestanding -fno-builtin -fno-common -fno-stack-protector -nostdlib -std=gnu11 \
	-O2 -g $(WARN) -DTB_FREESTANDING -Icommon/include
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) -Icommon/include -Ihyp/include \
	-fsanitize=address,undefined -fno-omit-frame-pointer
# Host tools that every run calls (imgcheck, from scripts/run.sh) are built without the
# sanitizers: their start-up alone cost more CPU time than a whole QEMU run. The same sources
# run under the sanitizers in the unit tests.
TOOL_CFLAGS := -std=gnu11 -O2 -g $(WARN) -Icommon/include -Ihyp/include

COMMON_SRC := common/src/fdt.c common/src/fmt.c common/src/pt.c common/src/s1.c common/src/str.c

.DEFAULT_GOAL := all

# ---- the hypervisor ----
# Every memory module is a directory mm-<name>/ of sources; adding one needs no change here.
HYP_SRC := $(wildcard hyp/src/*.c) $(wildcard mm-*/*.c) $(COMMON_SRC)
HYP_ASM := hyp/src/entry.S
HYP_OBJ := $(patsubst %.c,$(BUILD)/hyp/%.o,$(HYP_SRC)) $(patsubst %.S,$(BUILD)/hyp/%.o,$(HYP_ASM))
HYP_ELF := $(BUILD)/hyp/hyp.elf

# The hypervisor's cost is measured in instructions (Hyp-mode instructions under QEMU):
# tuned as for a core where LDM/STM are cheap, its prologues and epilogues push and pop
# registers in one instruction instead of a sequence of LDRD/STRD (GCC's cortex-a15 tuning).
# Link-time optimisation lets the hot paths cross the core/module/store boundaries of the
# sources (a caught page-table write runs through shadow.c and spt.c) without those
# boundaries being broken in the code.
HYP_TUNE := -mtune=cortex-a9 -flto=auto
# The C library functions that GCC itself may call (memset, memcpy) are not in the LTO
# unit: calls that code generation adds after it would find them gone.
$(BUILD)/hyp/common/src/str.o: HYP_TUNE := -mtune=cortex-a9
$(BUILD)/hyp/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC_T) $(TARGET_CFLAGS) $(HYP_TUNE) -Ihyp/include -MMD -MP -c -o $@ $<
$(BUILD)/hyp/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC_T) $(TARGET_CFLAGS) -Ihyp/include -MMD -MP -c -o $@ $<
$(HYP_ELF): $(HYP_OBJ) hyp/hyp.ld
	@echo "  LD      $@"
	$(Q)$(CC_T) $(TARGET_CFLAGS) $(HYP_TUNE) -T hyp/hyp.ld -o $@ $(HYP_OBJ) -lgcc

# ---- test guests (tests/guests/*.c, each linked with the small guest runtime) ----
GUEST_RT_SRC := tests/guests/rt/rt.c tests/guests/rt/rt_pt.c $(COMMON_SRC)
GUEST_RT_OBJ := $(patsubst %.c,$(BUILD)/guests/%.o,$(GUEST_RT_SRC)) $(BUILD)/guests/rt/start.o
GUEST_NAMES := $(basename $(notdir $(wildcard tests/guests/*.c)))
GUEST_BINS := $(foreach g,$(GUEST_NAMES),$(BUILD)/guests/$(g).bin $(BUILD)/guests/$(g).elf)

$(BUILD)/guests/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC_T) $(TARGET_CFLAGS) -Itests/guests/rt -MMD -MP -c -o $@ $<
$(BUILD)/guests/rt/start.o: tests/guests/rt/start.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC_T) $(TARGET_CFLAGS) -c -o $@ $<
$(BUILD)/guests/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC_T) $(TARGET_CFLAGS) -Itests/guests/rt -MMD -MP -c -o $@ $<
# A test guest <name> may have more sources (C and assembly) in tests/guests/<name>/.
guest_extra = $(patsubst %,$(BUILD)/guests/%.o,$(basename $(wildcard tests/guests/$(1)/*.c \
	tests/guests/$(1)/*.S)))
.SECONDEXPANSION:
$(BUILD)/guests/%.elf: $(BUILD)/guests/tests/guests/%.o $$(call guest_extra,$$*) $(GUEST_RT_OBJ) \
		tests/guests/rt/guest.ld
	@echo "  LD      $@"
	$(Q)$(CC_T) $(TARGET_CFLAGS) -T tests/guests/rt/guest.ld -o $@ $(filter %.o,$^) -lgcc
$(BUILD)/guests/%.bin: $(BUILD)/guests/%.elf
	$(Q)$(OBJCOPY) -O binary $< $@

# ---- the benchmark guest (bench/) ----
HOST_BENCH_SRC := bench/kernel/frames.c bench/kernel/prot.c
BENCH_SRC := $(wildcard bench/kernel/*.c) $(wildcard bench/benchmarks/*.c) $(COMMON_SRC)
BENCH_ASM := bench/kernel/start.S bench/user/user.S
BENCH_OBJ := $(patsubst %.c,$(BUILD)/bench/%.o,$(BENCH_SRC)) \
	$(patsubst %.S,$(BUILD)/bench/%.o,$(BENCH_ASM))
BENCH_ELF := $(BUILD)/bench/bench.elf
BENCH_BIN := $(BUILD)/bench/bench.bin

$(BUILD)/bench/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC_T) $(TARGET_CFLAGS) -Ibench/kernel -MMD -MP -c -o $@ $<
$(BUILD)/bench/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC_T) $(TARGET_CFLAGS) -c -o $@ $<
$(BENCH_ELF): $(BENCH_OBJ) bench/bench.ld
	@echo "  LD      $@"
	$(Q)$(CC_T) $(TARGET_CFLAGS) -T bench/bench.ld -o $@ $(BENCH_OBJ) -lgcc
$(BENCH_BIN): $(BENCH_ELF)
	$(Q)$(OBJCOPY) -O binary $< $@

# ---- host programs: image checker and unit tests ----
HOST_HYP_SRC := hyp/src/options.c hyp/src/loader.c hyp/src/guest_dtb.c hyp/src/decode.c \
	hyp/src/decode_t32.c hyp/src/syndrome.c
IMGCHECK := $(BUILD)/host/imgcheck
$(IMGCHECK): hyp/tools/imgcheck.c hyp/src/loader.c $(COMMON_SRC)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(TOOL_CFLAGS) -o $@ $^

UNIT_NAMES := $(basename $(notdir $(wildcard tests/unit/test_*.c)))
UNIT_BINS := $(addprefix $(BUILD)/host/,$(UNIT_NAMES))
# The benchmark guest's memory management is tested on the host too; test_bench_mm runs
# mm.c itself, with system registers and TLB operations recorded by tests/unit/shim.
$(BUILD)/host/test_bench_mm: tests/unit/test_bench_mm.c tests/unit/testmem.h \
		tests/unit/shim/tb/cp15.h bench/kernel/mm.c $(HOST_BENCH_SRC) $(COMMON_SRC)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -Itests/unit/shim $(HOST_CFLAGS) -Itests/unit -Ibench/kernel -o $@ $< \
		bench/kernel/mm.c $(HOST_BENCH_SRC) $(COMMON_SRC) -lcmocka

# The shadow module's table store, on the host (it touches no system register).
$(BUILD)/host/test_spt: tests/unit/test_spt.c mm-shadow/spt.c mm-shadow/spt.h mm-shadow/shadow.h \
		$(COMMON_SRC)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Itests/unit -o $@ $< mm-shadow/spt.c $(COMMON_SRC) -lcmocka

# The page allocator's guard pages, on host memory (tests/unit/test_palloc.c stubs hyp_fatal).
$(BUILD)/host/test_palloc: tests/unit/test_palloc.c tests/unit/testmem.h hyp/src/palloc.c \
		hyp/src/guard.c $(COMMON_SRC)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Itests/unit -o $@ $< hyp/src/palloc.c hyp/src/guard.c \
		$(COMMON_SRC) -lcmocka

$(BUILD)/host/test_%: tests/unit/test_%.c tests/unit/testmem.h $(HOST_HYP_SRC) $(HOST_BENCH_SRC) $(COMMON_SRC)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Itests/unit -Ibench/kernel -o $@ $< $(HOST_HYP_SRC) \
		$(if $(findstring test_bench,$@),$(HOST_BENCH_SRC)) $(COMMON_SRC) -lcmocka

# ---- host fuzzing: libFuzzer harnesses (tests/fuzz, docs/testing.md "Host fuzzing") ----
FUZZ_CC := clang
FUZZ_CFLAGS := -std=gnu11 -O1 -g $(WARN) -Icommon/include -Ihyp/include -Itests/fuzz \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_TARGETS := fdt loader walk decode
FUZZ_BINS := $(addprefix $(BUILD)/fuzz/fuzz_,$(FUZZ_TARGETS))
# Seconds per target: FUZZ_TIME for make fuzz-host, FUZZ_SMOKE_TIME for the run in make test.
FUZZ_TIME ?= 60
FUZZ_SMOKE_TIME ?= 10
$(BUILD)/fuzz/fuzz_fdt: common/src/fdt.c
$(BUILD)/fuzz/fuzz_loader: hyp/src/loader.c common/src/fmt.c
$(BUILD)/fuzz/fuzz_walk: common/src/pt.c common/src/s1.c tests/fuzz/walk_input.h
$(BUILD)/fuzz/fuzz_decode: hyp/src/decode.c hyp/src/decode_t32.c hyp/src/decode_ops.h common/src/fmt.c
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^)
# The generated seeds (walk tables, the guest DTB); tests/fuzz/mkcorpus.sh adds the rest.
$(BUILD)/fuzz/mkseeds: tests/fuzz/mkseeds.c tests/fuzz/walk_input.h tests/unit/testmem.h \
		hyp/src/guest_dtb.c $(COMMON_SRC)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Itests/unit -Itests/fuzz -o $@ $(filter %.c,$^)

.PHONY: all run debug test unit integration perf trace-event compare bench plots clean format format-check \
	fuzz fuzz-host fuzz-smoke fuzz-corpus ptx-seeds verify
all: $(HYP_ELF) $(GUEST_BINS) $(BENCH_BIN) $(IMGCHECK) $(UNIT_BINS) $(FUZZ_BINS)

run: all
	@scripts/run.sh

debug: all
	@DEBUG=1 scripts/run.sh

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

integration: all
	$(PYTHON) -m pytest -q tests/integration

test: format-check unit fuzz-smoke integration

# Every harness for FUZZ_TIME seconds; the inputs it finds accumulate in build/fuzz/corpus.
fuzz-host: $(FUZZ_BINS)
	@rc=0; for t in $(FUZZ_TARGETS); do \
		tests/fuzz/run.sh $(BUILD) $$t $(BUILD)/fuzz/corpus/$$t \
			-max_total_time=$(FUZZ_TIME) || rc=1; \
	done; exit $$rc

# The bounded run of make test: FUZZ_SMOKE_TIME seconds per harness from the committed seeds
# alone, with a fixed random seed.
fuzz-smoke: $(FUZZ_BINS)
	@rc=0; for t in $(FUZZ_TARGETS); do \
		rm -rf $(BUILD)/fuzz/smoke/$$t; \
		tests/fuzz/run.sh $(BUILD) $$t $(BUILD)/fuzz/smoke/$$t \
			-seed=1 -max_total_time=$(FUZZ_SMOKE_TIME) || rc=1; \
	done; exit $$rc

# Regenerate the committed seeds from real inputs (QEMU's DTB, the built guests).
fuzz-corpus: all $(BUILD)/fuzz/mkseeds
	@tests/fuzz/mkcorpus.sh $(BUILD)

perf: all
	@$(PYTHON) tests/integration/perf.py

# Where one shadow event's Hyp instructions go, function by function, from QEMU's trace of
# it: EVENT=shadow_miss|pt_write|tlbimva|pt_remap|root_switch [SYNC=emulate|unsync]
# [ISA=a32|t32] [LISTING=1: instruction by instruction] (analysis/trace_event.py).
trace-event: all
	@$(PYTHON) analysis/trace_event.py --event $(or $(EVENT),pt_remap) \
		--sync $(or $(SYNC),emulate) --isa $(or $(ISA),a32) $(if $(LISTING),--listing)

# The randomized page-table exerciser (tests/guests/ptx.c, docs/testing.md) over SEEDS seeds
# from BASE, in MODES (labels of tests/integration/ptxcheck.py or MM[:HYP options]; default
# native,stage2,shadow) and FMTS, STEPS steps each: every trace compared with native's.
ptx-seeds: all
	@$(PYTHON) tests/integration/ptx_seeds.py --seeds $(or $(SEEDS),50) --jobs $(JOBS) \
		$(if $(BASE),--base $(BASE)) $(if $(MODES),--modes $(MODES)) \
		$(if $(FMTS),--fmts $(FMTS)) $(if $(STEPS),--steps $(STEPS))

# Issue 6's figures into results/verification.md: the exerciser over SEEDS seeds (default
# 200) in every mode, the hostile guests, the libFuzzer harnesses for FUZZ_TIME seconds each.
verify: all $(FUZZ_BINS)
	@$(PYTHON) analysis/verify.py --seeds $(or $(SEEDS),200) --fuzz-time $(FUZZ_TIME)

# Issue 6's long run: the exerciser over SEEDS seeds (default 500) in every mode, then the
# libFuzzer harnesses for FUZZ_TIME seconds each.
fuzz: all
	@$(MAKE) --no-print-directory ptx-seeds SEEDS=$(or $(SEEDS),500)
	@$(MAKE) --no-print-directory fuzz-host

C_FILES = $(shell git ls-files '*.c' '*.h')
# The benchmark matrix: PRESET=full (default, into results/) or quick (into
# build/results-quick/); BENCH=a,b MODES=native,stage2 FMTS=short,lpae REPS=n JOBS=n OUT=dir.
JOBS ?= $(shell nproc)
bench: all
	@$(PYTHON) analysis/bench.py --preset $(or $(PRESET),full) --jobs $(JOBS) \
		$(if $(BENCH),--bench $(BENCH)) $(if $(MODES),--modes $(MODES)) \
		$(if $(FMTS),--fmts $(FMTS)) $(if $(REPS),--reps $(REPS)) $(if $(OUT),--out $(OUT))

# Every figure and table again from the CSV alone (no run).
plots:
	@$(PYTHON) analysis/plots.py $(or $(OUT),results)

# Stage 2 relative to native for every benchmark (the README's table).
compare: all
	@$(PYTHON) analysis/compare.py --fmt short
	@echo
	@$(PYTHON) analysis/compare.py --fmt short --hyp "stage2.page=4k"
	@echo
	@$(PYTHON) analysis/compare.py --fmt short --mm shadow

format:
	clang-format -i $(C_FILES)

# Every C file follows .clang-format.
format-check:
	@clang-format --dry-run --Werror $(C_FILES)

clean:
	rm -rf $(BUILD)

# Keep intermediate objects (no rebuild on the next make).
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
