/* Host physical memory layout (QEMU virt, RAM from 0x40000000) and the guest's view. */
#ifndef HYP_LAYOUT_H
#define HYP_LAYOUT_H

#include "tb/types.h"

#define HOST_RAM_BASE 0x40000000u
/* QEMU places its DTB at the base of RAM for an ELF kernel (platform-facts.md, "Boot"). */
#define HOST_DTB_BASE HOST_RAM_BASE
#define HOST_DTB_MAX  (1 * MiB)
/* The hypervisor is linked right above the DTB; it owns everything up to GUEST_HOST_BASE
 * (image, stacks, the page pool for translation tables). */
#define HYP_RESERVED_END 0x44000000u
/* Guest RAM is one contiguous, 2 MiB aligned host block. */
#define GUEST_HOST_BASE HYP_RESERVED_END

/* What the guest sees (design.md, "Guests"). */
#define GUEST_RAM_IPA	   0x40000000u
#define GUEST_RAW_LOAD_IPA 0x40010000u
#define GUEST_MEM_MIN	   (16u * MiB)
#define GUEST_MEM_MAX	   (2048u * MiB)
/* The guest's DTB goes this far below the top of its RAM, out of the way of the image and
 * of anything a Linux-protocol guest places above itself. */
#define GUEST_DTB_MAX (64u * KiB)

/* Emulated devices (QEMU virt memory map). */
#define PL011_IPA      0x09000000u
#define PL011_SIZE     0x1000u
#define HOST_UART_BASE 0x09000000u

#endif
