"""Write the bundled sample submissions in autograder/samples/ from the release.

    python tests/support/make_samples.py [day ...]

ada answers every item correctly in her own way (from tests/alternatives/),
ben makes one listed mistake in every item (from tests/mutants/), cleo hands
in the release untouched, and dev (Day 1) has a working notebook with a cell
that raises and one that never ends.  Re-run after changing a solution notebook.
"""

from __future__ import annotations

import sys

from course import syllabus
from factory import reference_answers, submission, variants, write_submission

ROOT = syllabus.REPO_ROOT / "autograder" / "samples"

PICKS = {
    "day01": {
        "ada": ["conv_output_size__math_floor", "conv2d_manual__unfold", "conv_param_count__build_nothing",
                "receptive_field__backwards", "vertical_edge_conv__parameter_assign", "day01_quiz__built_up"],
        "ben": ["conv_output_size__rounds_up", "conv2d_manual__flips_kernel", "conv_param_count__forgets_bias",
                "receptive_field__ignores_stride", "vertical_edge_conv__keeps_bias", "day01_quiz__two_wrong"],
    },
    "day02": {
        "ada": ["maxpool2d_manual__tensor_unfold", "avgpool2d_manual__integral_image",
                "SmallCNN__stages_pool_then_relu", "GAPCNN__mean_in_forward", "trace_shapes__global_hook",
                "day02_quiz__built_up"],
        "ben": ["maxpool2d_manual__ceil_mode", "avgpool2d_manual__divides_by_kernel_size", "SmallCNN__missing_relu",
                "GAPCNN__flatten_head", "trace_shapes__registration_order", "day02_quiz__two_wrong"],
    },
    "day03": {
        "ada": ["channel_mean_std__merged_moments", "CsvImageDataset__csv_reader", "build_transforms__v2",
                "to_model_input__numpy_transpose", "day03_quiz__built_up"],
        "ben": ["channel_mean_std__averages_image_stds", "CsvImageDataset__label_string", "build_transforms__no_flip",
                "to_model_input__reshape_not_permute", "day03_quiz__two_wrong"],
    },
    "day04": {
        "ada": ["get_device__checks_in_a_loop", "train_one_epoch__nullcontext_and_dataset_length",
                "evaluate__inference_mode_eq", "fit__deepcopy_best_then_save", "day04_training__batchnorm_class",
                "day04_quiz__built_up"],
        "ben": ["get_device__returns_string", "train_one_epoch__mean_of_batch_means", "evaluate__train_mode",
                "fit__saves_last_epoch", "day04_training__undertrained", "day04_quiz__two_wrong"],
    },
    "day05": {
        "ada": ["LeNet5__classifier_defined_first", "vgg_block__list_comprehension", "vgg16_features__nested_blocks",
                "BasicBlock__shortcut_first_torch_add", "InceptionBlock__module_list_functional", "count_params__seen_ids",
                "day05_quiz__built_up"],
        "ben": ["LeNet5__relu_instead_of_tanh", "vgg_block__no_padding", "vgg16_features__vgg13_config",
                "BasicBlock__relu_before_addition", "InceptionBlock__wrong_concat_order",
                "count_params__ignores_trainable_only", "day05_quiz__two_wrong"],
    },
    "day06": {
        "ada": ["create_transfer_model__freeze_then_reenable_head", "param_groups__one_group_per_module",
                "unfreeze_last__parameter_names", "day06_probe__dropout_head_identity_trick",
                "day06_finetune__plain_forward_sgd_cosine", "day06_quiz__built_up"],
        "ben": ["create_transfer_model__freezes_the_new_head", "param_groups__includes_frozen",
                "unfreeze_last__minus_zero_slice", "day06_probe__features_in_train_mode",
                "day06_finetune__augment_result_unused", "day06_quiz__two_wrong"],
    },
    "day07": {
        "ada": ["filters_to_images__loop_over_filters", "capture_feature_maps__global_hook_by_identity",
                "grad_cam__tensor_hook_grad_wrt_input", "day07_quiz__built_up"],
        "ben": ["filters_to_images__global_scaling", "capture_feature_maps__hooks_never_removed", "grad_cam__no_relu",
                "day07_quiz__two_wrong"],
    },
    "day08": {
        "ada": ["predict__one_image_at_a_time", "activation_memory_bytes__meta_device",
                "fix_training_step__module_loss_grads_none", "fix_inference__torchvision_normalize",
                "day08_quiz__built_up"],
        "ben": ["predict__train_mode", "activation_memory_bytes__ignores_dtype", "fix_training_step__no_zero_grad",
                "fix_inference__no_eval", "day08_quiz__two_wrong"],
    },
}


def _dev_answers(day) -> dict[str, str]:
    ref = reference_answers(day)
    return {
        **ref,
        "conv_param_count": ref["conv_param_count"] + "\n# try it out\nprint(conv_param_count(3, 16, kernel))\n",
        "receptive_field": ref["receptive_field"]
        + "\n# keep checking until it looks right\nwhile receptive_field([(3, 1)] * 5) != 12:\n    pass\n",
    }


def write_samples(day_id: str) -> None:
    day = syllabus.get_day(day_id)
    picks = PICKS[day_id]
    for student, kind in (("ada", "alternatives"), ("ben", "mutants")):
        found = variants(kind, day)
        answers = {found[name][0]: found[name][1] for name in picks[student]}
        write_submission(ROOT, student, day, submission(day, answers))
    write_submission(ROOT, "cleo", day, submission(day, {}))
    if day_id == "day01":
        write_submission(ROOT, "dev", day, submission(day, _dev_answers(day)))


if __name__ == "__main__":
    for day_id in sys.argv[1:] or list(PICKS):
        write_samples(day_id)
        print(f"wrote samples for {day_id}")
