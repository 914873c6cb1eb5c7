/**
 * The arm64 CPU the modelled kernel runs on, as far as SVA depends on it: a
 * process's page tables are the CPU's (4 KB pages, 48-bit VAs), and the SMMU
 * must be able to walk them (arm_smmu_sva_supported compares its OAS and
 * ASID size with the CPU's).
 */

/** PAGE_SIZE (CONFIG_ARM64_4K_PAGES). */
export const PAGE_SIZE = 0x1000n;
/** vabits_actual: 48-bit user VAs (no LVA), so an SVA CD has T0SZ = 64 - 48. */
export const CPU_VA_BITS = 48;
/** ID_AA64MMFR0_EL1.PARange = 0b0101: 48-bit physical addresses. An SMMU with a smaller OAS cannot do SVA. */
export const CPU_PA_BITS = 48;
export const CPU_PARANGE = 5;
/** ID_AA64MMFR0_EL1.ASIDBits = 0b0010: 16-bit ASIDs. An SMMU with 8-bit ASIDs cannot do SVA. */
export const CPU_ASID_BITS = 16;
/**
 * MAIR_EL1 as arch/arm64 sets it (recalled): Normal WB at indexes 0 and 1
 * (MT_NORMAL, MT_NORMAL_TAGGED without MTE), Normal NC at 2, Device-nGnRnE
 * at 3, Device-nGnRE at 4. arm_smmu_make_sva_cd copies it into CD qword 3.
 */
export const MAIR_EL1 = 0x0000_0004_0044_ffffn;
/** CMDQ_MAX_TLBI_OPS = 1 << (PAGE_SHIFT - 3): from this many pages on, the notifier invalidates the whole ASID. */
export const CMDQ_MAX_TLBI_OPS = 512;
