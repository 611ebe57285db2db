/* A 16-byte marker that lives only in the hypervisor's read-only data: the ASCII text
 * "TBHYP:isolation!" (hyp/src/integrity.c, symbol hyp_marker, 16-byte aligned). A guest
 * that finds it in memory it can read has read hypervisor memory. So that no guest image
 * contains the marker itself, it is given here only XORed with a key: a guest compares
 * (word ^ key) with TB_HYP_MARKER_OBF[i], the key read at run time from a variable. */
#ifndef TB_HYP_MARKER_H
#define TB_HYP_MARKER_H

#define TB_HYP_MARKER_WORDS 4
#define TB_HYP_MARKER_KEY   0xc35a96e1u
#define TB_HYP_MARKER_OBF0  0x9a12d4b5u /* "TBHY" ^ key */
#define TB_HYP_MARKER_OBF1  0xb033acb1u /* "P:is" ^ key */
#define TB_HYP_MARKER_OBF2  0xb73bfa8eu /* "olat" ^ key */
#define TB_HYP_MARKER_OBF3  0xe234f988u /* "ion!" ^ key */

#endif
