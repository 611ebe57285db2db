/* Guest image checking and placement (raw Linux-protocol images and ELF32 ARM executables). */
#include "hyp/loader.h"
#include "hyp/layout.h"
#include "tb/fmt.h"
#include "tb/str.h"

/* ELF32 (System V ABI, ELF for the ARM Architecture). */
#define EI_NIDENT     16
#define ELFCLASS32    1
#define ELFDATA2LSB   1
#define EV_CURRENT    1
#define ET_EXEC	      2
#define EM_ARM	      40
#define PT_LOAD	      1
#define ELF_MAX_PHDRS 64

struct elf32_ehdr {
	u8 ident[EI_NIDENT];
	u16 type, machine;
	u32 version, entry, phoff, shoff, flags;
	u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf32_phdr {
	u32 type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

static const u8 elf_magic[4] = {0x7f, 'E', 'L', 'F'};

static bool is_elf(const u8 *img, u32 size)
{
	return size >= 4 && memcmp(img, elf_magic, 4) == 0;
}

/* inside: is [a, a+len) within [base, base+size)? (overflow-safe) */
static bool inside(u64 a, u64 len, u64 base, u64 size)
{
	return a >= base && len <= size && a - base <= size - len;
}

static void read_phdr(const u8 *img, const struct elf32_ehdr *eh, u32 i, struct elf32_phdr *ph)
{
	memcpy(ph, img + eh->phoff + (u64)i * eh->phentsize, sizeof(*ph));
}

static bool check_elf(const u8 *img, u32 size, const struct load_target *t, struct image_info *info,
		      char *err, size_t errlen)
{
	struct elf32_ehdr eh;
	if (size < sizeof(eh)) {
		tb_snprintf(err, errlen, "corrupt ELF image: %u bytes, shorter than an ELF header",
			    size);
		return false;
	}
	memcpy(&eh, img, sizeof(eh));
	if (eh.ident[4] != ELFCLASS32 || eh.ident[5] != ELFDATA2LSB) {
		tb_snprintf(err, errlen, "unsupported ELF image: not 32-bit little-endian");
		return false;
	}
	if (eh.machine != EM_ARM || eh.type != ET_EXEC || eh.version != EV_CURRENT) {
		tb_snprintf(err, errlen,
			    "unsupported ELF image: machine %u type %u (need an ARM executable)",
			    eh.machine, eh.type);
		return false;
	}
	if (eh.phnum == 0 || eh.phnum > ELF_MAX_PHDRS || eh.phentsize < sizeof(struct elf32_phdr) ||
	    !inside(eh.phoff, (u64)eh.phnum * eh.phentsize, 0, size)) {
		tb_snprintf(err, errlen,
			    "corrupt ELF image: program headers (offset %u, %u x %u bytes) do not "
			    "fit in the file of %u bytes",
			    eh.phoff, eh.phnum, eh.phentsize, size);
		return false;
	}
	bool have_entry = false;
	u32 nload = 0;
	info->lowest_ipa = ~0u;
	info->highest_ipa = 0;
	for (u32 i = 0; i < eh.phnum; i++) {
		struct elf32_phdr ph;
		read_phdr(img, &eh, i, &ph);
		if (ph.type != PT_LOAD || ph.memsz == 0) {
			continue;
		}
		nload++;
		if (ph.filesz > ph.memsz) {
			tb_snprintf(err, errlen,
				    "corrupt ELF image: segment %u has more file bytes (%u) than "
				    "memory bytes (%u)",
				    i, ph.filesz, ph.memsz);
			return false;
		}
		if (!inside(ph.offset, ph.filesz, 0, size)) {
			tb_snprintf(
			    err, errlen,
			    "corrupt ELF image: segment %u (offset %u, %u bytes) lies outside "
			    "the file",
			    i, ph.offset, ph.filesz);
			return false;
		}
		if (!inside(ph.paddr, ph.memsz, t->ram_ipa, t->usable)) {
			tb_snprintf(err, errlen,
				    "ELF segment %u at 0x%08x..0x%08llx does not fit in guest RAM "
				    "0x%08x..0x%08x",
				    i, ph.paddr, (u64)ph.paddr + ph.memsz, t->ram_ipa,
				    t->ram_ipa + t->usable);
			return false;
		}
		if (ph.paddr < info->lowest_ipa) {
			info->lowest_ipa = ph.paddr;
		}
		if (ph.paddr + ph.memsz > info->highest_ipa) {
			info->highest_ipa = ph.paddr + ph.memsz;
		}
		if (eh.entry >= ph.vaddr && eh.entry - ph.vaddr < ph.memsz) {
			info->entry_ipa = ph.paddr + (eh.entry - ph.vaddr);
			have_entry = true;
		}
	}
	if (nload == 0) {
		tb_snprintf(err, errlen, "corrupt ELF image: no loadable segment");
		return false;
	}
	if (!have_entry) {
		tb_snprintf(err, errlen,
			    "corrupt ELF image: entry 0x%08x is in no loadable segment", eh.entry);
		return false;
	}
	if ((info->entry_ipa & 3) != 0) {
		tb_snprintf(err, errlen,
			    "unsupported ELF image: entry 0x%08x is not an A32 instruction address "
			    "(Thumb entry is not supported)",
			    eh.entry);
		return false;
	}
	info->is_elf = true;
	return true;
}

bool loader_check(const u8 *img, u32 size, const struct load_target *t, struct image_info *info,
		  char *err, size_t errlen)
{
	memset(info, 0, sizeof(*info));
	if (size == 0) {
		tb_snprintf(err, errlen, "the guest image is empty");
		return false;
	}
	if (is_elf(img, size)) {
		return check_elf(img, size, t, info, err, errlen);
	}
	u32 offset = GUEST_RAW_LOAD_IPA - t->ram_ipa;
	if (offset > t->usable || size > t->usable - offset) {
		tb_snprintf(err, errlen,
			    "the guest image (%u bytes) is larger than guest RAM allows (%u bytes "
			    "from 0x%08x)",
			    size, t->usable > offset ? t->usable - offset : 0, GUEST_RAW_LOAD_IPA);
		return false;
	}
	info->entry_ipa = GUEST_RAW_LOAD_IPA;
	info->lowest_ipa = GUEST_RAW_LOAD_IPA;
	info->highest_ipa = GUEST_RAW_LOAD_IPA + size;
	return true;
}

void loader_place(const u8 *img, u32 size, const struct load_target *t, u8 *ram_host,
		  const struct image_info *info)
{
	if (!info->is_elf) {
		memcpy(ram_host + (info->entry_ipa - t->ram_ipa), img, size);
		return;
	}
	struct elf32_ehdr eh;
	memcpy(&eh, img, sizeof(eh));
	for (u32 i = 0; i < eh.phnum; i++) {
		struct elf32_phdr ph;
		read_phdr(img, &eh, i, &ph);
		if (ph.type != PT_LOAD || ph.memsz == 0) {
			continue;
		}
		u8 *dst = ram_host + (ph.paddr - t->ram_ipa);
		memcpy(dst, img + ph.offset, ph.filesz);
		memset(dst + ph.filesz, 0, ph.memsz - ph.filesz);
	}
}
